import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, NOW, type TestEngine } from "@/test/engine";
import { sql } from "../sql";
import { keepRows, putBackRows } from "./keep";

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine();
});
afterAll(() => t.close());

/** A row with every column type the governed tables use, and those they might. */
const CREATE = sql`CREATE TEMP TABLE kinds (
  id int PRIMARY KEY, org_id int NOT NULL, at timestamp(3), at_tz timestamptz, big bigint,
  doc jsonb, raw_doc json, blob bytea, tags text[], state "IncidentStatus", ratio numeric,
  note text) ON COMMIT DROP`;

const INSERT = sql`INSERT INTO kinds VALUES
  (1, 7, '2026-11-22 12:34:56.789', '2026-11-22 12:34:56.789123+00', 9223372036854775807,
   '{"b": [1, 2.50, null], "a": {"z": "é"}}', '{"b": 1, "a": 2}', '\\x00ff10',
   ARRAY['a', 'b,c', NULL], 'CLOSED', 12345678901234567890.000001, E'line\\nnext'),
  (2, 7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`;

const dump = sql`SELECT coalesce(array_agg(t::text ORDER BY id), '{}') AS rows FROM kinds t`;

describe("a kept row comes back exactly", () => {
  it("round trips timestamps, bigint, jsonb, bytea, arrays, enums, numeric and nulls; json keeps its meaning only", async () => {
    await t.engine.db.$transaction(async (tx) => {
      await tx.$executeRaw(CREATE);
      await tx.$executeRaw(INSERT);
      const [before] = await tx.$queryRaw<{ rows: string[] }[]>(dump);
      const terms = { orgId: 7, bytes: 1n, restorableUntil: NOW };
      const kept = await keepRows(tx, "kinds", [1, 2], {
        runId: "round-trip",
        category: "ARTIFACTS",
        items: new Map([
          [1, terms],
          [2, terms],
        ]),
      });
      expect(kept.sort()).toEqual([1, 2]);
      const [gone] = await tx.$queryRaw<{ rows: string[] }[]>(dump);
      expect(gone?.rows).toEqual([]);
      const ids = await tx.$queryRaw<{ id: bigint }[]>(
        sql`SELECT id FROM kept_items WHERE run_id = 'round-trip'`,
      );
      await putBackRows(
        tx,
        "kinds",
        ids.map((r) => r.id),
      );
      const [after] = await tx.$queryRaw<{ rows: string[] }[]>(dump);
      // json (never used by a governed table: Prisma's Json is jsonb) comes back as
      // its jsonb: same meaning, keys reordered. Every other column is byte for byte.
      const withoutJson = (rows: string[] | undefined) =>
        (rows ?? []).map((row) =>
          row.replace(/"\{""b"": 1, ""a"": 2\}"|"\{""a"": 2, ""b"": 1\}"/, "J"),
        );
      expect(withoutJson(after?.rows)).toEqual(withoutJson(before?.rows));
      expect(before?.rows[0]).toContain(`\\\\x00ff10`);
      await tx.$executeRaw(sql`DELETE FROM kept_items WHERE run_id = 'round-trip'`);
    });
  });
});
