import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { seed } from "../prisma/seed";
import { createUser } from "../server/accounts/users";
import { createDb } from "../server/db";
import type { Role } from "../server/generated/prisma/enums";
import { prepareLocalStack, ROOT } from "./local-stack";
import { CLI } from "./user-commands";
import { runCli } from "./cli";

/** The accounts the browser tests sign in with: not the demo's, whose passwords are published. */
const ACCOUNTS: { key: string; role: Role; name: string }[] = [
  { key: "admin", role: "ADMIN", name: "Ada Admin" },
  { key: "admin2", role: "ADMIN", name: "Grace Second-Admin" },
  { key: "operator", role: "OPERATOR", name: "Otto Operator" },
  { key: "viewer", role: "VIEWER", name: "Vera Viewer" },
];

/** Creates the accounts as `npm run user:create` does, each with a random password. */
async function createAccounts(databaseUrl: string) {
  const db = createDb(databaseUrl, { maxConnections: 1 });
  try {
    const accounts: Record<string, { id: number; email: string; password: string; role: Role }> =
      {};
    for (const { key, role, name } of ACCOUNTS) {
      const password = randomBytes(18).toString("base64url");
      const email = `${key}@e2e.lethe.test`;
      const { user } = await createUser(db, {
        ...CLI,
        production: true,
        account: { email, name, role },
        password,
      });
      accounts[key] = { id: user.id, email, password, role };
    }
    return accounts;
  } finally {
    await db.$disconnect();
  }
}

/**
 * The app as the browser tests see it: the embedded default (a state folder
 * of its own, wiped first) with the demo's organizations but accounts of
 * its own, a production build, `next start`.
 */
async function main() {
  const port = Number(process.env.PORT ?? 3100);
  const stateDir = path.join(ROOT, ".lethe", "e2e");
  await rm(stateDir, { recursive: true, force: true });
  const stack = await prepareLocalStack({ stateDir, port, pgPort: 54400, fresh: true });
  const accounts = await createAccounts(stack.env.DATABASE_URL ?? "");
  await seed({ env: stack.env, users: false, placedBy: accounts.admin?.id });
  // The browser tests sign in with these, and check the database and storage behind the pages.
  await writeFile(
    path.join(stateDir, "stack.json"),
    JSON.stringify({ ...stack.env, OWNER_DATABASE_URL: stack.ownerUrl, accounts }),
    { mode: 0o600 },
  );
  // `next start` is production, where local storage must be chosen explicitly, and
  // evidence packs are signed with a key given to it.
  const env = {
    ...process.env,
    ...stack.env,
    STORAGE: "local",
    EVIDENCE_SIGNING_KEY: generateKeyPairSync("ed25519")
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString(),
    // Webhook secrets are sealed with a key given to it; the notices spec's receiver is plain http on this machine.
    NOTICE_SECRET_KEY: randomBytes(32).toString("base64url"),
    NOTICE_ALLOW_HTTP: "true",
    NOTICE_ALLOW_PRIVATE_ADDRESSES: "true",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const next = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
  if (!process.env.E2E_SKIP_BUILD) {
    const build = spawnSync(process.execPath, [next, "build"], {
      cwd: ROOT,
      stdio: "inherit",
      env,
    });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const server = spawn(process.execPath, [next, "start", "-p", String(port)], {
    cwd: ROOT,
    stdio: "inherit",
    env,
  });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", async (code) => {
    await stack.embedded?.stop();
    process.exit(code ?? 0);
  });
}

runCli(main);
