import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import type { SessionUser } from "../auth/roles";
import { appRouter } from "./root";

let t: TestEngine;
let orgId: number;
let users: Record<SessionUser["role"], SessionUser>;
const worked: (() => Promise<unknown>)[] = [];

const caller = (user: SessionUser) =>
  appRouter.createCaller({
    db: t.engine.db,
    engine: async () => t.engine,
    user,
    afterResponse: (work) => worked.push(work),
  });

beforeAll(async () => {
  t = await createTestEngine();
  const b = builders(t.engine.db, t.engine.store);
  orgId = (await b.org("FREE")).id;
  const as = async (role: SessionUser["role"]) => {
    const u = await b.user(role);
    return { id: u.id, email: u.email, name: u.name, role };
  };
  users = { VIEWER: await as("VIEWER"), OPERATOR: await as("OPERATOR"), ADMIN: await as("ADMIN") };
});
afterAll(() => t.close());

async function refusal(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  return error instanceof TRPCError ? { code: error.code, message: error.message } : error;
}

describe("exports.request", () => {
  it("is an ADMIN's: a viewer or an operator is refused, and nothing is queued", async () => {
    for (const role of ["VIEWER", "OPERATOR"] as const) {
      expect(
        await refusal(caller(users[role]).exports.request({ orgId, categories: ["ERRORS"] })),
      ).toMatchObject({
        code: "FORBIDDEN",
        message: expect.stringMatching(/needs the ADMIN role/),
      });
      expect(await refusal(caller(users[role]).exports.list({ orgId }))).toMatchObject({
        code: "FORBIDDEN",
      });
    }
    expect(await t.engine.db.export.count()).toBe(0);
    expect(await t.engine.queue.nextExport()).toBeNull();
  });

  it("refuses N out of bounds per field, before anything is written", async () => {
    const error = await caller(users.ADMIN)
      .exports.request({ orgId, categories: ["ERRORS"], withinDays: 91 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect(JSON.stringify((error as TRPCError).cause ?? error)).toMatch(/at most 90 days/);
    expect(await t.engine.db.export.count()).toBe(0);
  });

  it("queues an admin's request with N defaulting to 7, builds it after the answer, and lists it READY", async () => {
    const { id } = await caller(users.ADMIN).exports.request({ orgId, categories: ["ERRORS"] });
    expect(worked).toHaveLength(1);
    await worked[0]?.();
    const [row] = await caller(users.ADMIN).exports.list({ orgId });
    expect(row).toMatchObject({
      id,
      withinDays: 7,
      status: "READY",
      requestedById: users.ADMIN.id,
    });
    expect(
      await t.engine.db.auditEntry.findFirst({
        where: { action: "export.requested", target: `export:${id}` },
      }),
    ).toMatchObject({ actorId: users.ADMIN.id, orgId });
  });
});
