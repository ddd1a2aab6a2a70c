import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { SessionUser } from "@/server/auth/roles";
import { appLog } from "@/server/log";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { allProcedures, callHttp } from "@/test/trpc-http";
import { sampleInputs, seedSamples, type SampleRefs } from "@/test/trpc-samples";
import { trpcResponse } from "./handler";
import { createCallerFactory, router, viewerProcedure, type Context } from "./init";

let t: TestEngine;
let admin: SessionUser;
let refs: SampleRefs;
beforeAll(async () => {
  t = await createTestEngine();
  const seeded = await seedSamples(t.engine);
  admin = seeded.users.ADMIN;
  refs = seeded.refs;
});
afterAll(() => t.close());

/** A procedure whose answer strays from its schema, as a domain change might make it. */
const strayRouter = router({
  extraField: viewerProcedure
    .output(z.strictObject({ total: z.number() }))
    .query(() => ({ total: 1, passwordHash: "x" }) as { total: number }),
  wrongType: viewerProcedure
    .output(z.strictObject({ bytes: z.bigint() }))
    .query(() => ({ bytes: 12 }) as unknown as { bytes: bigint }),
});

/** Lists asked for without the samples' filters, so that their rows are there to be checked. */
const unfiltered = {
  "audit.list": {},
  "environments.list": {},
  "holds.list": {},
  "pins.list": {},
  "incidents.list": {},
  "orgs.list": {},
};

const field = (key: string) => (data: unknown) => (data as Record<string, unknown[]>)[key];
const whole = (data: unknown) => data as unknown[];

/** Where each answer with rows keeps them: each must have some, or its schema went unchecked. */
const ROWS: Record<string, (data: unknown) => unknown[] | undefined> = {
  "audit.list": field("entries"),
  "audit.actors": whole,
  "environments.list": field("environments"),
  "environments.get": field("checks"),
  "incidents.list": field("incidents"),
  "orgs.list": field("orgs"),
  "orgs.history": field("entries"),
  "holds.list": whole,
  "pins.list": whole,
  "erasure.list": whole,
  "overview.storage": field("orgs"),
  "policies.table": field("categories"),
  "purge.plan": field("entries"),
  "purge.runs": field("runs"),
  "purge.runDetail": field("tasks"),
  "storage.freedByRun": whole,
  "tokens.list": whole,
  "users.list": whole,
};

const contextOf = (user: SessionUser): Context => ({
  db: t.engine.db,
  engine: async () => t.engine,
  user,
  afterResponse: () => {},
});

describe("tRPC answers are typed at the edge", () => {
  it("every procedure declares the schema of its answer", () => {
    const undeclared = allProcedures()
      .filter((p) => !p.output)
      .map((p) => p.path);
    expect(undeclared).toEqual([]);
  });

  it("every procedure's real answer fits its schema: none fails with a 500", async () => {
    const { planId } = await t.engine.db.purgeRun.findUniqueOrThrow({ where: { id: refs.runId } });
    const inputs: Record<string, unknown> = {
      ...sampleInputs(refs),
      ...unfiltered,
      "purge.plan": { planId },
    };
    let ok = 0;
    for (const procedure of allProcedures()) {
      const answer = await callHttp(t.engine, admin, procedure, inputs[procedure.path]);
      expect(answer.status, `${procedure.path}: ${answer.message}`).toBeLessThan(500);
      if (answer.status !== 200) continue;
      ok++;
      const rows = ROWS[procedure.path]?.(answer.data as never);
      if (rows)
        expect(rows.length, `${procedure.path} answered no rows to check`).toBeGreaterThan(0);
    }
    // Most calls must really answer, or "fits its schema" would prove little.
    expect(ok / allProcedures().length).toBeGreaterThan(0.8);
  });

  it("an answer with an undeclared field or a wrong type fails the call, never reaching the caller", async () => {
    const caller = createCallerFactory(strayRouter)(contextOf(admin));
    for (const call of [() => caller.extraField(), () => caller.wrongType()]) {
      await expect(call()).rejects.toMatchObject({
        code: "INTERNAL_SERVER_ERROR",
        message: "Output validation failed",
      });
    }
  });

  it("over HTTP in production it is a 500 that says little, logged with the procedure and the schema's complaint", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const logged = vi.spyOn(appLog(), "error").mockImplementation(() => {});
    try {
      const response = await trpcResponse(
        new Request("http://localhost/api/trpc/extraField"),
        () => contextOf(admin),
        strayRouter,
      );
      expect(response.status).toBe(500);
      const body = JSON.stringify(await response.json());
      expect(body).toContain("Something went wrong on our side");
      expect(body).not.toContain("passwordHash");
      expect(body).not.toMatch(/Invalid input/);
      expect(logged).toHaveBeenCalledOnce();
      const [fields, message] = logged.mock.calls[0] as unknown as [
        { err: { cause: z.ZodError }; procedure: string },
        string,
      ];
      expect(message).toBe("tRPC procedure failed");
      expect(fields.procedure).toBe("extraField");
      expect(fields.err.cause.issues[0]).toMatchObject({ code: "unrecognized_keys" });
    } finally {
      logged.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
