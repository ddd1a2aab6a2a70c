import password from "@inquirer/password";
import { newPassword } from "../server/accounts/inputs";
import { PASSWORD_MIN_LENGTH } from "../server/accounts/limits";
import { createDb } from "../server/db";
import { cliDatabaseUrl } from "./dev-database";
import { tokenCommand } from "./token-commands";
import { userCommand, type CliIo } from "./user-commands";
import { runCli } from "./cli";

/**
 * A valid new password, asked again from an empty field after a refusal:
 * the prompt's own validation keeps the refused text in the hidden field,
 * so what the person types next is added to what they cannot see.
 */
async function askNewPassword() {
  for (;;) {
    const value = await password({
      message: `Password (at least ${PASSWORD_MIN_LENGTH} characters)`,
    });
    const parsed = newPassword.safeParse(value);
    if (parsed.success) return value;
    process.stderr.write(
      `> ${parsed.error.issues[0]?.message ?? "not a valid password"}: type another.\n`,
    );
  }
}

/** A new password, typed twice with the input hidden. */
async function askPasswordTwice() {
  const first = await askNewPassword();
  const again = await password({ message: "The same password again" });
  if (again !== first)
    throw new Error("The two passwords differ: nothing was changed. Run the command again.");
  return first;
}

/**
 * `npm run user:*` and `npm run token:*`: accounts and API tokens from the
 * command line, on DATABASE_URL or the embedded database of a running
 * `npm run dev`. Audited as the system, from the CLI.
 */
async function main() {
  const [command = "", ...args] = process.argv.slice(2);
  const db = createDb(cliDatabaseUrl(), { maxConnections: 2 });
  const io: CliIo = {
    out: (line) => console.log(line),
    note: (line) => console.error(line),
    askPassword: process.stdin.isTTY ? askPasswordTwice : null,
    production: process.env.NODE_ENV === "production",
  };
  try {
    if (command.startsWith("token:")) await tokenCommand(db, command, args, io);
    else await userCommand(db, command, args, io);
  } finally {
    await db.$disconnect();
  }
}

runCli(main);
