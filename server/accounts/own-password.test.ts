import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountsWorld, CLI } from "@/test/accounts";
import { appError } from "@/test/app-error";
import type { TestDatabase } from "@/test/database";
import { verifyPassword } from "@/server/auth/password";
import { changeOwnPassword } from "./own-password";
import { createUser, resetPassword } from "./users";

let database: TestDatabase;
let fresh: Awaited<ReturnType<typeof accountsWorld>>["fresh"];
let signIn: Awaited<ReturnType<typeof accountsWorld>>["signIn"];
let throttle: Awaited<ReturnType<typeof accountsWorld>>["throttle"];
beforeAll(async () => {
  ({ database, fresh, signIn, throttle } = await accountsWorld());
});
afterAll(() => database.drop());

describe("choosing one's own password", () => {
  it("replaces a one-time password, given once more, and ends the forced change", async () => {
    const { user, oneTimePassword } = await fresh();
    await changeOwnPassword(
      database.db,
      {
        userId: user.id,
        change: { currentPassword: oneTimePassword, newPassword: "my own new passphrase" },
      },
      throttle,
    );
    const after = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.mustChangePassword).toBe(false);
    expect(await signIn(user.email, oneTimePassword ?? "")).toBeNull();
    expect(await signIn(user.email, "my own new passphrase")).not.toBeNull();
    const entry = await database.db.auditEntry.findFirstOrThrow({
      where: { action: "user.password_changed", target: `user:${user.id}` },
    });
    expect([entry.actorId, entry.details]).toEqual([user.id, { wasOneTime: true }]);
  });

  it("after an admin's reset, a session from before cannot choose the new password without the new one-time password", async () => {
    const { user } = await createUser(database.db, {
      ...CLI,
      production: false,
      account: { email: "stolen@example.com", name: "S", role: "ADMIN" },
      password: "the password a thief knows",
    });
    await resetPassword(database.db, { ...CLI, userId: user.id });
    const refused = await appError(
      changeOwnPassword(
        database.db,
        {
          userId: user.id,
          change: {
            currentPassword: "the password a thief knows",
            newPassword: "the thief's new password",
          },
        },
        throttle,
      ),
    );
    expect(refused.message).toBe(
      "Invalid input: currentPassword: is not the one-time password you were given.",
    );
    expect(await signIn(user.email, "the thief's new password")).toBeNull();
  });

  it("needs the current password, a new one long enough and different; an SSO-only account has none", async () => {
    const { user, oneTimePassword } = await fresh();
    await changeOwnPassword(
      database.db,
      {
        userId: user.id,
        change: { currentPassword: oneTimePassword, newPassword: "first own passphrase" },
      },
      throttle,
    );
    const change = (c: unknown) =>
      appError(changeOwnPassword(database.db, { userId: user.id, change: c }, throttle));
    expect((await change({ newPassword: "second own passphrase" })).message).toBe(
      "Invalid input: currentPassword: is required",
    );
    expect(
      (await change({ currentPassword: "wrong", newPassword: "second own passphrase" })).message,
    ).toBe("Invalid input: currentPassword: is not your password.");
    expect(
      (await change({ currentPassword: "first own passphrase", newPassword: "short" })).message,
    ).toBe("Invalid input: newPassword: must be at least 12 characters");
    expect(
      (
        await change({
          currentPassword: "first own passphrase",
          newPassword: "first own passphrase",
        })
      ).message,
    ).toMatch(/must differ/);
    const sso = await database.db.user.create({
      data: { email: "sso@example.com", name: "SSO", role: "VIEWER" },
    });
    const refused = await appError(
      changeOwnPassword(
        database.db,
        {
          userId: sso.id,
          change: { currentPassword: "anything at all", newPassword: "a brand new password" },
        },
        throttle,
      ),
    );
    expect(refused.message).toBe(
      "Your account signs in through single sign-on and has no password to change.",
    );
  });

  it("counts a wrong current password as a failed sign-in of the account: five lock it, and then even the right one changes nothing", async () => {
    const { user, oneTimePassword } = await fresh();
    await changeOwnPassword(
      database.db,
      {
        userId: user.id,
        change: { currentPassword: oneTimePassword, newPassword: "the owner's passphrase" },
      },
      throttle,
    );
    const guess = (currentPassword: string) =>
      appError(
        changeOwnPassword(
          database.db,
          { userId: user.id, change: { currentPassword, newPassword: "a thief's passphrase" } },
          throttle,
        ),
      );
    for (let i = 1; i < 5; i++)
      expect((await guess(`guess ${i}`)).message).toBe(
        "Invalid input: currentPassword: is not your password.",
      );
    expect((await guess("guess 5")).message).toBe(
      "Too many failed sign-ins. Try again in 1 minute.",
    );
    // Locked: the right password changes nothing either (the login form shares the lock).
    expect((await guess("the owner's passphrase")).message).toBe(
      "Too many failed sign-ins. Try again in 1 minute.",
    );
    const stored = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword("the owner's passphrase", stored.passwordHash ?? "")).toBe(true);
  });
});
