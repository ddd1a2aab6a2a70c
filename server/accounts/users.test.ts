import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountsWorld, CLI } from "@/test/accounts";
import { appError } from "@/test/app-error";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createUser, listUsers, resetPassword, setDisabled, setRole } from "./users";

let database: TestDatabase;
let fresh: Awaited<ReturnType<typeof accountsWorld>>["fresh"];
let signIn: Awaited<ReturnType<typeof accountsWorld>>["signIn"];
beforeAll(async () => {
  ({ database, fresh, signIn } = await accountsWorld());
});
afterAll(() => database.drop());
/** Waits until `n` other sessions of this database wait on a lock. */
async function waitingOnLocks(db: TestDatabase["db"], n: number) {
  for (;;) {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if ((row?.n ?? 0) >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const counts = async () => ({
  users: await database.db.user.count(),
  audit: await database.db.auditEntry.count(),
});

describe("adding a user", () => {
  it("gives a one-time password, once, that signs in and must be changed; audited without the email", async () => {
    const { user, oneTimePassword } = await createUser(database.db, {
      ...CLI,
      production: false,
      account: { email: " Ada@Example.com ", name: "Ada", role: "ADMIN" },
    });
    expect(user).toMatchObject({
      email: "ada@example.com",
      role: "ADMIN",
      mustChangePassword: true,
    });
    expect(oneTimePassword).toMatch(/^[\w-]{20}$/);
    expect(await signIn("ada@example.com", oneTimePassword ?? "")).toMatchObject({ name: "Ada" });
    const entry = await database.db.auditEntry.findFirstOrThrow({
      where: { action: "user.created", target: `user:${user.id}` },
    });
    expect(entry.actor).toBe("system");
    expect(entry.details).toEqual({ role: "ADMIN", via: "cli", oneTimePassword: true });
    expect(JSON.stringify([entry.target, entry.details])).not.toContain("example.com");
  });

  it("with a chosen password, keeps it and asks for no change", async () => {
    const { user, oneTimePassword } = await createUser(database.db, {
      ...CLI,
      production: false,
      account: { email: "chosen@example.com", name: "Chosen", role: "VIEWER" },
      password: "a long chosen passphrase",
    });
    expect([user.mustChangePassword, oneTimePassword]).toEqual([false, null]);
    expect(await signIn("chosen@example.com", "a long chosen passphrase")).not.toBeNull();
  });

  it("refuses a duplicate email, a bad role, a bad email and a short password, changing nothing", async () => {
    const before = await counts();
    const attempt = (account: unknown, password?: string) =>
      appError(createUser(database.db, { ...CLI, production: false, account, password }));
    const duplicate = await attempt({ email: "ADA@example.com", name: "Again", role: "VIEWER" });
    expect([duplicate.code, duplicate.message]).toEqual([
      "CONFLICT",
      "A user with the email ada@example.com exists.",
    ]);
    expect((await attempt({ email: "x@example.com", name: "X", role: "ROOT" })).message).toBe(
      "Invalid input: role: must be VIEWER, OPERATOR or ADMIN",
    );
    expect((await attempt({ email: "not-an-email", name: "X", role: "VIEWER" })).message).toMatch(
      /^Invalid input: email: must be an email address/,
    );
    expect(
      (await attempt({ email: "y@example.com", name: "Y", role: "VIEWER" }, "short")).message,
    ).toBe("Invalid input: password: must be at least 12 characters");
    expect(await counts()).toEqual(before);
  });

  it("in production, refuses a demo email, and re-enabling a demo account", async () => {
    const demo = { email: "admin@lethe.dev", name: "Demo", role: "ADMIN" };
    const refused = await appError(
      createUser(database.db, { ...CLI, production: true, account: demo }),
    );
    expect(refused.message).toMatch(
      /admin@lethe\.dev is a demo account whose password is published/,
    );
    const { user } = await createUser(database.db, { ...CLI, production: false, account: demo });
    await setDisabled(database.db, { ...CLI, userId: user.id, disabled: true, production: true });
    const enable = await appError(
      setDisabled(database.db, { ...CLI, userId: user.id, disabled: false, production: true }),
    );
    expect(enable.message).toMatch(/demo account/);
    expect(
      (await database.db.user.findUniqueOrThrow({ where: { id: user.id } })).disabledAt,
    ).not.toBeNull();
  });
});

describe("roles, disabling and resets", () => {
  it("changes a role and disables and enables a user, auditing ids and roles only", async () => {
    const { user } = await fresh("VIEWER");
    const { user: admin } = await fresh("ADMIN");
    const actor = { actor: { id: admin.id }, via: "console" } as const;
    expect((await setRole(database.db, { ...actor, userId: user.id, role: "OPERATOR" })).role).toBe(
      "OPERATOR",
    );
    await setDisabled(database.db, {
      ...actor,
      userId: user.id,
      disabled: true,
      production: false,
    });
    const listed = (await listUsers(database.db)).find((u) => u.id === user.id);
    expect(listed?.disabledAt).not.toBeNull();
    expect(listed).not.toHaveProperty("passwordHash");
    await setDisabled(database.db, {
      ...actor,
      userId: user.id,
      disabled: false,
      production: false,
    });
    const trail = await database.db.auditEntry.findMany({
      where: { target: `user:${user.id}`, action: { not: "user.created" } },
      orderBy: { id: "asc" },
    });
    expect(trail.map((e) => [e.action, e.actorId, e.details])).toEqual([
      ["user.role_changed", admin.id, { from: "VIEWER", to: "OPERATOR", via: "console" }],
      ["user.disabled", admin.id, { role: "OPERATOR", via: "console" }],
      ["user.enabled", admin.id, { role: "OPERATOR", via: "console" }],
    ]);
  });

  it("a disabled user cannot sign in", async () => {
    const { user, oneTimePassword } = await fresh();
    await setDisabled(database.db, { ...CLI, userId: user.id, disabled: true, production: false });
    expect(await signIn(user.email, oneTimePassword ?? "")).toBeNull();
  });

  it("a reset gives a new one-time password; the old one no longer signs in", async () => {
    const { user } = await createUser(database.db, {
      ...CLI,
      production: false,
      account: { email: "reset@example.com", name: "R", role: "VIEWER" },
      password: "the old long password",
    });
    const { oneTimePassword } = await resetPassword(database.db, { ...CLI, userId: user.id });
    expect(await signIn(user.email, "the old long password")).toBeNull();
    expect(await signIn(user.email, oneTimePassword)).not.toBeNull();
    expect(
      (await database.db.user.findUniqueOrThrow({ where: { id: user.id } })).mustChangePassword,
    ).toBe(true);
  });
});

describe("someone must always be able to govern", () => {
  it("an admin cannot disable or demote themself", async () => {
    await fresh("ADMIN");
    const { user: me } = await fresh("ADMIN");
    const self = { actor: { id: me.id }, via: "console" } as const;
    const demote = await appError(setRole(database.db, { ...self, userId: me.id, role: "VIEWER" }));
    expect([demote.code, demote.message]).toEqual([
      "PRECONDITION",
      "You cannot demote yourself: ask another admin.",
    ]);
    const disable = await appError(
      setDisabled(database.db, { ...self, userId: me.id, disabled: true, production: false }),
    );
    expect(disable.message).toBe("You cannot disable yourself: ask another admin.");
    expect(await database.db.user.findUniqueOrThrow({ where: { id: me.id } })).toMatchObject({
      role: "ADMIN",
      disabledAt: null,
    });
  });

  it("the last active admin cannot be demoted or disabled, and two admins removing each other at once leave one", async () => {
    const own = await createTestDatabase();
    try {
      const make = (email: string) =>
        createUser(own.db, {
          ...CLI,
          production: false,
          account: { email, name: email, role: "ADMIN" },
        });
      const { user: a } = await make("a@example.com");
      const { user: b } = await make("b@example.com");
      // Both changes are started while the test holds both rows: each reads
      // the admins before it can write, as two requests at once would.
      const { started } = await own.db.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM users WHERE id IN (${a.id}, ${b.id}) FOR UPDATE`;
          const started = Promise.allSettled([
            setDisabled(own.db, {
              actor: { id: a.id },
              via: "console",
              userId: b.id,
              disabled: true,
              production: false,
            }),
            setRole(own.db, { actor: { id: b.id }, via: "console", userId: a.id, role: "VIEWER" }),
          ]);
          await waitingOnLocks(own.db, 2);
          return { started };
        },
        { timeout: 60_000 },
      );
      const results = await started;
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const active = await own.db.user.findMany({ where: { role: "ADMIN", disabledAt: null } });
      expect(active).toHaveLength(1);
      const last = active[0]?.id ?? 0;
      for (const attempt of [
        () => setRole(own.db, { ...CLI, userId: last, role: "OPERATOR" }),
        () => setDisabled(own.db, { ...CLI, userId: last, disabled: true, production: false }),
      ]) {
        expect((await appError(attempt())).message).toBe(
          `User ${last} is the last active admin: make another user ADMIN first, so that someone can still govern.`,
        );
      }
    } finally {
      await own.drop();
    }
  });
});
