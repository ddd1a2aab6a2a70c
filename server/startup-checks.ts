import { access, constants, stat } from "node:fs/promises";
import path from "node:path";
import { demoAccountProblems } from "./accounts/demo-accounts";
import type { Db } from "./db";
import { auditLogExposure } from "./db-roles";
import { timeZoneProblems } from "./db-timezone";
import { migrationProblems } from "./migration-check";
import { env as validatedEnv, EnvError, type Env } from "./env";
import { s3StoreOf } from "./storage";

/**
 * One reason this deployment must not serve: what is wrong and what to do
 * about it, in one line an operator can act on.
 */
export type StartupProblem = string;

type StartupCheck = (context: { env: Env; db: Db }) => Promise<StartupProblem[]>;

/**
 * What a server or worker checks before it serves, in production: each
 * check names the fix. The environment's own validation (env.ts) has run
 * before these.
 */
const CHECKS: StartupCheck[] = [
  exportLinkProblems,
  localFolderProblems,
  bucketProblems,
  demoAccountProblems,
  timeZoneProblems,
  async ({ db }) => {
    const exposure = await auditLogExposure(db);
    return exposure ? [exposure] : [];
  },
];

/**
 * Whoever sends notices signs the links to their exports: a worker without
 * the server's NEXTAUTH_SECRET and NEXTAUTH_URL would send each tenant a
 * notice with no download (the server itself refuses to start without them).
 */
async function exportLinkProblems({ env }: { env: Env }): Promise<StartupProblem[]> {
  const missing = (["NEXTAUTH_SECRET", "NEXTAUTH_URL"] as const).filter((name) => !env[name]);
  return missing.length === 0
    ? []
    : [
        `${missing.join(" and ")} must be set as on the server: the notices this process sends link to exports signed with them`,
      ];
}

/**
 * The local folder of objects must be there and writable: it holds what the
 * SaaS stored, so Lethe never creates it. A mistyped STORAGE_DIR would find
 * no file of any purged row, count each gone, and leave every real object.
 */
async function localFolderProblems({ env }: { env: Env }): Promise<StartupProblem[]> {
  if (env.S3_BUCKET) return [];
  const folder = path.resolve(env.STORAGE_DIR);
  const found = await stat(folder).catch(() => null);
  if (!found?.isDirectory())
    return [
      `STORAGE_DIR ${folder} is not an existing folder: set it to the folder that holds the objects (Lethe never creates it)`,
    ];
  if (
    !(await access(folder, constants.W_OK).then(
      () => true,
      () => false,
    ))
  )
    return [`STORAGE_DIR ${folder} is not writable by this process: purges delete files in it`];
  return [];
}

/** How long the bucket has to answer before the deployment is refused. */
const BUCKET_PROBE_MS = 15_000;

/**
 * The bucket must answer a listing: a mistyped bucket, endpoint or key
 * would otherwise surface only when a purge or an export first reaches
 * storage, as failed items. Names the bucket and what S3 said, never a
 * credential.
 */
async function bucketProblems({ env }: { env: Env }): Promise<StartupProblem[]> {
  const bucket = env.S3_BUCKET;
  if (!bucket) return [];
  try {
    await s3StoreOf({ ...env, S3_BUCKET: bucket }).probe(BUCKET_PROBE_MS);
    return [];
  } catch (error) {
    const where = env.S3_ENDPOINT ? `at ${env.S3_ENDPOINT}` : `in ${env.S3_REGION}`;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const said =
      error instanceof Error
        ? `${error.name}${status ? `, HTTP ${status}` : ""}: ${error.message.split("\n")[0]?.slice(0, 200) ?? ""}`
        : String(error);
    return [
      `the S3 bucket ${bucket} ${where} cannot be listed (${said}): check S3_BUCKET, S3_REGION, S3_ENDPOINT and the access key; Lethe lists and deletes objects there`,
    ];
  }
}

/** The database by host and name, never its password. */
function databaseWhere(env: Env) {
  const url = new URL(env.DATABASE_URL);
  return `${url.hostname}:${url.port || "5432"}${url.pathname}`;
}

/** Prisma's codes for a table or column the schema has and the database lacks. */
const NOT_MIGRATED = new Set(["P2021", "P2022"]);

/**
 * The database the checks could not read, as the one problem to fix first:
 * a server would otherwise serve nothing but 500s, and a supervisor sees a
 * live process. Names the database by host and name, never its password.
 */
function databaseProblem(env: Env, error: unknown): StartupProblem {
  const where = databaseWhere(env);
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && NOT_MIGRATED.has(code))
    return `the database at DATABASE_URL (${where}) lacks Lethe's tables or has older ones: run \`npm run db:migrate\` (README: Production, step 2)`;
  const said = (error instanceof Error ? error.message : String(error))
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1);
  return `the database at DATABASE_URL (${where}) cannot be used: ${said?.replace(/\w+:\/\/\S+/g, "<url>").slice(0, 200) ?? "no reason given"}`;
}

export async function startupProblems(env: Env, db: Db): Promise<StartupProblem[]> {
  if (env.NODE_ENV !== "production") return [];
  const problems: StartupProblem[] = [];
  try {
    // Checked first: the other checks read tables a database not migrated as far lacks.
    const migrations = await migrationProblems(db, databaseWhere(env));
    if (migrations.length > 0) return migrations;
    for (const check of CHECKS) problems.push(...(await check({ env, db })));
  } catch (error) {
    return [...problems, databaseProblem(env, error)];
  }
  return problems;
}

/** Runs the checks; prints what failed and ends the process when any did. */
export async function refuseToStartIfUnsafe(env: Env, db: Db, what: string) {
  refuseToStart(what, await startupProblems(env, db));
}

/**
 * The validated environment, or the process ends naming each bad variable:
 * Next.js only logs an error thrown by the instrumentation hook and goes on
 * serving, every request a 500.
 */
export function envOrRefuse(what: string): Env {
  try {
    return validatedEnv();
  } catch (error) {
    if (error instanceof EnvError) refuseToStart(what, error.problems);
    throw error;
  }
}

/** Prints `problems` and ends the process when there are any. */
export function refuseToStart(what: string, problems: StartupProblem[]) {
  if (problems.length === 0) return;
  process.stderr.write(
    `Lethe refuses to start the ${what}:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`,
  );
  process.exit(1);
}
