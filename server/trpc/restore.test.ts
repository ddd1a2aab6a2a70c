import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { callHttp, procedureAt } from "@/test/trpc-http";

let t: TestEngine;
const people = {} as Record<Role, SessionUser>;
beforeAll(async () => {
  t = await createTestEngine({ restoreWindows: "product" });
  const b = builders(t.engine.db, t.engine.store);
  for (const role of ["VIEWER", "OPERATOR", "ADMIN"] as const) {
    const { id, email, name } = await b.user(role);
    people[role] = { id, email, name, role };
  }
});
afterAll(() => t.close());

type RunWindow = {
  rows: {
    orgName: string;
    category: string;
    restorable: { items: number; until: Date } | null;
    restored: { items: number } | null;
  }[];
  restorable: { items: number; bytes: bigint };
};

/** Two orgs' old artifacts and one org's closed incident, purged by one run into their windows. */
async function purgedRun() {
  const b = builders(t.engine.db, t.engine.store);
  const [one, two] = [await b.org("BASIC", "Acme"), await b.org("BASIC", "Bolt")];
  const env = await b.env(one.id);
  const artifacts = [
    await b.artifact(one.id, 400, { bytes: 300 }),
    await b.artifact(one.id, 400),
    await b.artifact(two.id, 400),
  ];
  const incident = await b.incident(one.id, env.id, "CLOSED", 400);
  const { run } = await purge(t.engine, {
    orgIds: [one.id, two.id],
    categories: ["ARTIFACTS", "INCIDENT_PAYLOADS"],
  });
  return { one, two, artifacts, incident, runId: run.id };
}

const windowOf = async (user: SessionUser, runId: string) => {
  const answer = await callHttp(t.engine, user, procedureAt("restore.window"), { runId });
  expect(answer.status, answer.message).toBe(200);
  return answer.data as RunWindow;
};

describe("restore over tRPC", () => {
  it("a VIEWER reads what is restorable; a VIEWER and an OPERATOR are refused the restore, which changes nothing", async () => {
    const { runId, artifacts } = await purgedRun();
    const seen = await windowOf(people.VIEWER, runId);
    expect(seen.restorable.items).toBe(4);
    expect(seen.rows.map((r) => [r.orgName, r.category, r.restorable?.items])).toEqual([
      ["Acme", "ARTIFACTS", 2],
      ["Acme", "INCIDENT_PAYLOADS", 1],
      ["Bolt", "ARTIFACTS", 1],
    ]);
    const second = await callHttp(t.engine, people.VIEWER, procedureAt("restore.window"), {
      runId,
      page: 2,
      pageSize: 2,
    });
    expect(second.data).toMatchObject({ rowCount: 3, restorable: { items: 4, bytes: 550n } });
    expect((second.data as RunWindow).rows.map((r) => r.orgName)).toEqual(["Bolt"]);
    for (const role of ["VIEWER", "OPERATOR"] as const) {
      const answer = await callHttp(t.engine, people[role], procedureAt("restore.restore"), {
        runId,
      });
      expect([answer.status, answer.message]).toEqual([
        403,
        expect.stringContaining("needs the ADMIN role"),
      ]);
    }
    const ids = artifacts.map((a) => a.id);
    expect(await t.engine.db.artifact.count({ where: { id: { in: ids } } })).toBe(0);
  });

  it("an ADMIN restores one org × category: exactly those rows come back, and the window says so", async () => {
    const { one, two, artifacts, incident, runId } = await purgedRun();
    const answer = await callHttp(t.engine, people.ADMIN, procedureAt("restore.restore"), {
      runId,
      orgId: one.id,
      category: "ARTIFACTS",
    });
    expect(answer.status, answer.message).toBe(200);
    expect(answer.data).toMatchObject({ items: 2, bytes: 400n });
    const back = await t.engine.db.artifact.findMany({
      where: { id: { in: artifacts.map((a) => a.id) } },
      orderBy: { id: "asc" },
    });
    expect(back).toEqual(artifacts.filter((a) => a.orgId === one.id));
    expect(await t.engine.db.artifact.count({ where: { orgId: two.id } })).toBe(0);
    const payload = await t.engine.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(payload.payloadPurgedAt).not.toBeNull();

    const after = await windowOf(people.VIEWER, runId);
    const acme = after.rows.find((r) => r.orgName === "Acme" && r.category === "ARTIFACTS");
    expect(acme?.restorable).toBeNull();
    expect(acme?.restored?.items).toBe(2);
    expect(after.restorable.items).toBe(2);
  });

  it("the core's refusal reaches the admin as its message: a restore a second time, and a restore past the window", async () => {
    const { one, runId } = await purgedRun();
    const input = { runId, orgId: one.id, category: "ARTIFACTS" };
    expect(
      (await callHttp(t.engine, people.ADMIN, procedureAt("restore.restore"), input)).status,
    ).toBe(200);
    const again = await callHttp(t.engine, people.ADMIN, procedureAt("restore.restore"), input);
    expect(again.status).toBe(412);
    expect(again.message).toMatch(/already restored on \d{4}-\d{2}-\d{2}/);

    const late = { ...t.engine, now: () => new Date(t.engine.now().getTime() + 8 * 86_400_000) };
    const past = await callHttp(late, people.ADMIN, procedureAt("restore.restore"), { runId });
    expect(past.status).toBe(412);
    expect(past.message).toMatch(/no longer restorable: restorable until \d{4}-\d{2}-\d{2}/);
  });

  it("an item is named by its category; an org alone is not a scope", async () => {
    const runId = "00000000-0000-4000-8000-000000000000";
    for (const input of [
      { runId, itemId: 1 },
      { runId, orgId: 1 },
    ]) {
      const answer = await callHttp(t.engine, people.ADMIN, procedureAt("restore.restore"), input);
      expect(answer.status).toBe(400);
      expect(answer.message).toMatch(/category: /);
    }
  });
});
