import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userForToken } from "@/server/auth/api-tokens";
import { signInWithPassword } from "@/test/sign-in";
import { appError } from "@/test/app-error";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { rowCounts } from "@/test/row-counts";
import { runScript } from "@/test/run-script";
import { tokenCommand } from "./token-commands";
import { userCommand, type CliIo } from "./user-commands";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** The CLI as an operator runs it: `npm run <command> -- args`, stdin not a terminal. */
const cli = (command: string, args: string[]) =>
  runScript("scripts/accounts-cli.ts", [command, ...args], {
    NODE_ENV: "test",
    DATABASE_URL: database.url,
  });

function io(password: string | null = null) {
  const lines: string[] = [];
  const notes: string[] = [];
  const value: CliIo = {
    out: (line) => lines.push(line),
    note: (line) => notes.push(line),
    askPassword: password === null ? null : () => Promise.resolve(password),
    production: false,
  };
  return { io: value, lines, notes };
}

describe("npm run user:*", () => {
  it("user:create without a terminal prints a one-time password once; it signs in and must be changed", async () => {
    const run = cli("user:create", ["first@example.com", "admin", "--name", "First Admin"]);
    expect([run.code, run.err]).toEqual([0, ""]);
    const [created, label, line] = run.out.trim().split("\n");
    expect(created).toMatch(/^Created ADMIN first@example.com \(user \d+\)\.$/);
    expect(label).toBe("One-time password (shown only now; it must be changed at first sign-in):");
    const password = line?.trim() ?? "";
    expect(
      await signInWithPassword(database, { email: "first@example.com", password }),
    ).not.toBeNull();
    const user = await database.db.user.findUniqueOrThrow({
      where: { email: "first@example.com" },
    });
    expect([user.name, user.role, user.mustChangePassword]).toEqual(["First Admin", "ADMIN", true]);
    const entry = await database.db.auditEntry.findFirstOrThrow({
      where: { target: `user:${user.id}` },
    });
    expect([entry.actor, entry.action, entry.details]).toEqual([
      "system",
      "user.created",
      { role: "ADMIN", via: "cli", oneTimePassword: true },
    ]);
  });

  it("refuses a duplicate email, a bad role and a bad email with a clear error, changing nothing", async () => {
    const before = await rowCounts(database.db);
    const duplicate = cli("user:create", ["FIRST@example.com", "VIEWER"]);
    expect([duplicate.code, duplicate.err.trim()]).toEqual([
      1,
      "A user with the email first@example.com exists.",
    ]);
    const { io: quiet } = io("never asked for");
    expect(
      (await appError(userCommand(database.db, "user:create", ["x@example.com", "ROOT"], quiet)))
        .message,
    ).toBe("Invalid input: role: must be VIEWER, OPERATOR or ADMIN");
    expect(
      (await appError(userCommand(database.db, "user:create", ["nope", "VIEWER"], quiet))).message,
    ).toMatch(/^Invalid input: email: must be an email address/);
    await expect(
      userCommand(database.db, "user:create", ["only@example.com"], quiet),
    ).rejects.toThrow(/^Usage: npm run user:create -- <email>/);
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it("user:create at a terminal keeps the typed password; list, disable, enable and reset-password work by email", async () => {
    const typed = io("typed at the terminal");
    await userCommand(database.db, "user:create", ["op@example.com", "OPERATOR"], typed.io);
    expect(typed.lines).toEqual([expect.stringMatching(/^Created OPERATOR op@example.com/)]);
    expect(
      await signInWithPassword(database, {
        email: "op@example.com",
        password: "typed at the terminal",
      }),
    ).not.toBeNull();
    const out = io();
    await userCommand(database.db, "user:disable", ["op@example.com"], out.io);
    expect(
      await signInWithPassword(database, {
        email: "op@example.com",
        password: "typed at the terminal",
      }),
    ).toBeNull();
    await userCommand(database.db, "user:enable", ["op@example.com"], out.io);
    await userCommand(database.db, "user:reset-password", ["op@example.com"], out.io);
    await userCommand(database.db, "user:list", [], out.io);
    expect(out.lines.slice(-2).join("\n")).toMatch(
      /ADMIN\s+first@example.com\s+one-time password\s+First Admin\n.*OPERATOR\s+op@example.com\s+one-time password/,
    );
    const disabling = cli("user:disable", ["first@example.com"]);
    expect([disabling.code, disabling.err.trim()]).toEqual([
      1,
      expect.stringMatching(/is the last active admin: make another user ADMIN first/),
    ]);
  });
});

describe("npm run token:*", () => {
  it("creates a scoped token with an expiry, lists it and revokes it", async () => {
    const out = io();
    await tokenCommand(
      database.db,
      "token:create",
      ["first@example.com", "ci", "--scope", "purge", "--expires-days", "30"],
      out.io,
    );
    // Only the token on stdout: `T=$(npm run -s token:create …)` gets the token alone.
    expect(out.lines).toHaveLength(1);
    const token = out.lines[0] ?? "";
    expect(out.notes[0]).toMatch(
      /^API token (\d+) "ci" for first@example.com: scope PURGE, expires \d{4}-\d\d-\d\d\. Shown only now:$/,
    );
    expect((await userForToken(database.db, token))?.scope).toBe("PURGE");
    const refused = await appError(
      tokenCommand(
        database.db,
        "token:create",
        ["op@example.com", "ci", "--scope", "purge"],
        out.io,
      ),
    );
    expect(refused.message).toMatch(/^A PURGE token needs the ADMIN role/);
    const listing = cli("token:list", ["first@example.com"]);
    expect(listing.out).toMatch(
      /PURGE\s+live\s+created \d{4}-\d\d-\d\d\s+expires \d{4}-\d\d-\d\d\s+last used \d{4}-\d\d-\d\d\s+first@example.com\s+"ci"/,
    );
    const id = /API token (\d+)/.exec(out.notes[0] ?? "")?.[1] ?? "";
    expect(cli("token:revoke", [id]).out.trim()).toBe(
      `Revoked API token ${id}: it is refused from now on.`,
    );
    expect(await userForToken(database.db, token)).toBeNull();
    expect(cli("token:list", []).out).toMatch(/PURGE\s+revoked/);

    // A disabled owner's token is refused, and listed so.
    await tokenCommand(database.db, "token:create", ["op@example.com", "op-ci"], out.io);
    const opToken = out.lines.at(-1) ?? "";
    const op = { email: "op@example.com" };
    await database.db.user.update({ where: op, data: { disabledAt: new Date() } });
    expect(await userForToken(database.db, opToken)).toBeNull();
    expect(cli("token:list", ["op@example.com"]).out).toMatch(/READ\s+owner disabled\s+created/);
    await database.db.user.update({ where: op, data: { disabledAt: null } });
  });
});
