import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHOOSE_PASSWORD_FIRST, type SessionUser } from "@/server/auth/roles";
import { createUser } from "@/server/accounts/users";
import { appRouter } from "@/server/trpc/root";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { useRouteEnvironment } from "@/test/route-env";
import { allProcedures, callHttp, procedureAt } from "@/test/trpc-http";
import { sampleInputs, MISSING } from "@/test/trpc-samples";

let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine();
  // Changing a password counts failures in the app's sign-in throttle, on this database.
  await useRouteEnvironment(t.database);
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

const session = ({ id, email, name, role, mustChangePassword }: SessionUser): SessionUser => ({
  id,
  email,
  name,
  role,
  mustChangePassword,
});
describe("a user who signed in with a one-time password", () => {
  it("is refused every procedure, with what to do, except choosing a new password", async () => {
    const { user, oneTimePassword } = await createUser(t.engine.db, {
      actor: "system",
      via: "cli",
      production: false,
      account: { email: "new@example.com", name: "New", role: "ADMIN" },
    });
    const me = session(user);
    const samples = sampleInputs(MISSING);
    for (const p of allProcedures().filter((p) => p.path !== "account.changePassword")) {
      const answer = await callHttp(t.engine, me, p, samples[p.path]);
      expect([answer.status, answer.message], p.path).toEqual([403, CHOOSE_PASSWORD_FIRST]);
    }
    const changed = await callHttp(t.engine, me, procedureAt("account.changePassword"), {
      currentPassword: oneTimePassword,
      newPassword: "a password of my own",
    });
    expect(changed.status).toBe(200);
    const after = await t.engine.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.mustChangePassword).toBe(false);
  });
});

describe("API tokens in the console", () => {
  it("each user sees their own; an admin also everyone's; a viewer cannot make a PURGE token", async () => {
    const viewer = session(await b.user("VIEWER"));
    const admin = session(await b.user("ADMIN"));
    const create = (user: SessionUser, input: unknown) =>
      callHttp(t.engine, user, procedureAt("tokens.create"), input);
    expect((await create(viewer, { name: "laptop" })).status).toBe(200);
    expect((await create(admin, { name: "ci", scope: "PURGE", expiresInDays: 30 })).status).toBe(
      200,
    );
    const purge = await create(viewer, { name: "sneaky", scope: "PURGE" });
    expect([purge.status, purge.message]).toEqual([
      403,
      `A PURGE token needs the ADMIN role; user ${viewer.id} is VIEWER. Create a READ token instead.`,
    ]);
    const list = async (user: SessionUser, everyone: boolean) => {
      const caller = appRouter.createCaller({
        db: t.engine.db,
        engine: async () => t.engine,
        user,
        afterResponse: () => {},
      });
      return (await caller.tokens.list({ everyone })).map((token) => token.userId);
    };
    expect(await list(viewer, true)).toEqual([viewer.id]);
    expect(await list(admin, false)).toEqual([admin.id]);
    expect((await list(admin, true)).sort()).toEqual([viewer.id, admin.id].sort());
  });
});
