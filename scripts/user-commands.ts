import { parseArgs } from "node:util";
import { createUserInput } from "../server/accounts/inputs";
import {
  createUser,
  listUsers,
  parseOrRefuse,
  resetPassword,
  setDisabled,
  userByEmail,
  type AccountChange,
} from "../server/accounts/users";
import type { Db } from "../server/db";

/** What a CLI command talks to: where it prints, how it asks for a password, where it runs. */
export type CliIo = {
  out: (line: string) => void;
  /** What a person reads about the output (stderr), so `out` holds only what a script pipes. */
  note: (line: string) => void;
  /** Asks for a new password twice, hidden; null when stdin is no terminal. */
  askPassword: (() => Promise<string>) | null;
  production: boolean;
};

/** Changes made from the CLI are the system's, and say so in the audit log. */
export const CLI: AccountChange = { actor: "system", via: "cli" };

const USAGE = {
  "user:create": 'npm run user:create -- <email> <VIEWER|OPERATOR|ADMIN> [--name "Full Name"]',
  "user:disable": "npm run user:disable -- <email>",
  "user:enable": "npm run user:enable -- <email>",
  "user:reset-password": "npm run user:reset-password -- <email>",
  "user:list": "npm run user:list",
} as const;

function showOneTimePassword(io: CliIo, password: string) {
  io.out("One-time password (shown only now; it must be changed at first sign-in):");
  io.out(`  ${password}`);
}

async function create(db: Db, args: string[], io: CliIo) {
  const { positionals, values } = parseArgs({
    args,
    options: { name: { type: "string" } },
    allowPositionals: true,
  });
  const [email, role, ...extra] = positionals;
  if (!email || !role || extra.length) throw new Error(`Usage: ${USAGE["user:create"]}`);
  // Checked before asking for a password, so that a typo costs no typing.
  const account = parseOrRefuse(createUserInput, {
    email,
    role: role.toUpperCase(),
    name: values.name ?? email.split("@")[0],
  });
  const password = io.askPassword ? await io.askPassword() : undefined;
  const { user, oneTimePassword } = await createUser(db, {
    ...CLI,
    production: io.production,
    account,
    password,
  });
  io.out(`Created ${user.role} ${user.email} (user ${user.id}).`);
  if (oneTimePassword) showOneTimePassword(io, oneTimePassword);
}

function oneEmail(command: keyof typeof USAGE, args: string[]) {
  const [email, ...extra] = args;
  if (!email || extra.length) throw new Error(`Usage: ${USAGE[command]}`);
  return email;
}

async function list(db: Db, io: CliIo) {
  const users = await listUsers(db);
  if (users.length === 0) io.out(`No users yet. Create the first admin: ${USAGE["user:create"]}`);
  for (const u of users) {
    const status = u.disabledAt
      ? "disabled"
      : u.mustChangePassword
        ? "one-time password"
        : u.hasPassword
          ? "active"
          : "active (single sign-on)";
    io.out(
      `${String(u.id).padStart(5)}  ${u.role.padEnd(8)}  ${u.email.padEnd(32)}  ${status.padEnd(23)}  ${u.name}`,
    );
  }
}

/** Runs one `npm run user:*` command against `db`. */
export async function userCommand(db: Db, command: string, args: string[], io: CliIo) {
  switch (command) {
    case "user:create":
      return create(db, args, io);
    case "user:list":
      return list(db, io);
    case "user:disable":
    case "user:enable": {
      const user = await userByEmail(db, oneEmail(command, args));
      const disabled = command === "user:disable";
      await setDisabled(db, { ...CLI, userId: user.id, disabled, production: io.production });
      io.out(
        disabled
          ? `Disabled ${user.email}: it can no longer sign in, and its API tokens are refused.`
          : `Enabled ${user.email}.`,
      );
      return;
    }
    case "user:reset-password": {
      const user = await userByEmail(db, oneEmail(command, args));
      const { oneTimePassword } = await resetPassword(db, { ...CLI, userId: user.id });
      io.out(`Reset the password of ${user.email}.`);
      showOneTimePassword(io, oneTimePassword);
      return;
    }
    default:
      throw new Error(`Unknown command ${command}: one of ${Object.keys(USAGE).join(", ")}.`);
  }
}
