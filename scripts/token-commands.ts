import { parseArgs } from "node:util";
import { tokenId } from "../server/accounts/inputs";
import { isoDay } from "../server/calendar-day";
import { parseOrRefuse, userByEmail } from "../server/accounts/users";
import { createApiToken, listApiTokens, revokeApiToken } from "../server/auth/api-tokens";
import { tokenStatus } from "../server/auth/token-status";
import type { Db } from "../server/db";
import { CLI, type CliIo } from "./user-commands";

const USAGE = {
  "token:create":
    "npm run token:create -- <email> <token name> [--scope read|purge] [--expires-days N]",
  "token:list": "npm run token:list [-- <email>]",
  "token:revoke": "npm run token:revoke -- <token id>",
} as const;

const day = (date: Date | null) => (date ? isoDay(date) : "never");

async function create(db: Db, args: string[], io: CliIo) {
  const { positionals, values } = parseArgs({
    args,
    options: { scope: { type: "string" }, "expires-days": { type: "string" } },
    allowPositionals: true,
  });
  const [email, name, ...extra] = positionals;
  if (!email || !name || extra.length) throw new Error(`Usage: ${USAGE["token:create"]}`);
  const user = await userByEmail(db, email);
  const days = values["expires-days"];
  const created = await createApiToken(db, {
    ...CLI,
    userId: user.id,
    token: {
      name,
      scope: values.scope?.toUpperCase(),
      expiresInDays: days === undefined ? undefined : Number(days),
    },
  });
  io.note(
    `API token ${created.id} "${created.name}" for ${user.email}: scope ${created.scope}, ` +
      `expires ${day(created.expiresAt)}. Shown only now:`,
  );
  io.out(created.token);
}

async function list(db: Db, args: string[], io: CliIo) {
  const [email, ...extra] = args;
  if (extra.length) throw new Error(`Usage: ${USAGE["token:list"]}`);
  const userId = email ? (await userByEmail(db, email)).id : null;
  const tokens = await listApiTokens(db, { userId });
  if (tokens.length === 0) io.out("No API tokens.");
  const now = new Date();
  for (const t of tokens) {
    const status = tokenStatus(t, now);
    io.out(
      `${String(t.id).padStart(5)}  ${t.scope.padEnd(5)}  ${status.padEnd(14)}  ` +
        `created ${day(t.createdAt)}  expires ${day(t.expiresAt)}  last used ${day(t.lastUsedAt)}  ` +
        `${t.ownerEmail}  "${t.name}"`,
    );
  }
}

/** Runs one `npm run token:*` command against `db`. */
export async function tokenCommand(db: Db, command: string, args: string[], io: CliIo) {
  switch (command) {
    case "token:create":
      return create(db, args, io);
    case "token:list":
      return list(db, args, io);
    case "token:revoke": {
      const [raw, ...extra] = args;
      if (!raw || extra.length) throw new Error(`Usage: ${USAGE["token:revoke"]}`);
      const id = parseOrRefuse(tokenId, Number(raw));
      await revokeApiToken(db, { ...CLI, tokenId: id, anyOwner: true });
      io.out(`Revoked API token ${id}: it is refused from now on.`);
      return;
    }
    default:
      throw new Error(`Unknown command ${command}: one of ${Object.keys(USAGE).join(", ")}.`);
  }
}
