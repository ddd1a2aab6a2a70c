import type pg from "pg";
import { createDb } from "../server/db";
import { takeSnapshot } from "../server/retention/evidence/storage-snapshots";
import { DEMO_USERS, seedUsers } from "../prisma/seed/users";
import { migrateDatabase } from "../scripts/migrate-database";
import { BENCH_DB, dropDatabase, openBenchServer, withClient } from "./lib/bench-db";
import { count, header, ms, numericFlags, timed } from "./lib/report";
import { extraStatements } from "./lib/seed-extras";
import { BASE_SIZES, seedStatements, type Sizes, type Statement } from "./lib/seed-sql";
import { runCli } from "../scripts/cli";

/** Tables the seed fills in bulk: their secondary indexes are built once, after the load. */
const BULK_TABLES = [
  "drift_checks",
  "workflow_flags",
  "artifacts",
  "incidents",
  "incident_payloads",
  "approvals",
  "image_analyses",
  "memory_items",
  "scene_iterations",
  "backups",
  "task_queue_entries",
  "errors",
  "prompts",
  "plan_entries",
  "purge_tasks",
];

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function sizesFromFlags(): Sizes {
  const flags = numericFlags({
    scale: 1,
    ...Object.fromEntries(Object.keys(BASE_SIZES).map((k) => [kebab(k), -1])),
  } as Record<string, number>);
  const scale = flags.scale ?? 1;
  const sizes = { ...BASE_SIZES };
  for (const key of Object.keys(BASE_SIZES) as (keyof Sizes)[]) {
    const given = flags[kebab(key)];
    // Runs are history (days), not volume: they do not scale.
    sizes[key] =
      given !== undefined && given >= 0
        ? Math.round(given)
        : key === "runs"
          ? BASE_SIZES.runs
          : Math.max(1, Math.round(BASE_SIZES[key] * scale));
  }
  if (sizes.environments < sizes.orgs)
    throw new Error("--environments must be at least --orgs (every org has a prod environment)");
  return sizes;
}

async function run(client: pg.Client, statement: Statement) {
  const { value, ms: took } = await timed(() => client.query(statement.text, statement.values));
  console.log(
    `  ${statement.label.padEnd(36)} ${count(value.rowCount ?? 0).padStart(11)} rows  ${ms(took)}`,
  );
}

/** Drops the bulk tables' secondary indexes and returns the statements that rebuild them. */
async function dropSecondaryIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [BULK_TABLES],
  );
  for (const r of rows) await client.query(`DROP INDEX ${client.escapeIdentifier(r.name)}`);
  return rows.map((r) => r.def);
}

async function main() {
  const sizes = sizesFromFlags();
  const server = await openBenchServer();
  const started = Date.now();
  try {
    header("bench:seed — the scale dataset", server.where);
    await dropDatabase(server.serverUrl, BENCH_DB);
    await withClient(server.serverUrl, (c) => c.query(`CREATE DATABASE ${BENCH_DB}`));
    const url = server.urlFor(BENCH_DB);
    await migrateDatabase({ ownerUrl: url });
    const db = createDb(url, { maxConnections: 2 });
    await seedUsers(db);
    const admin = await db.user.findUniqueOrThrow({ where: { email: DEMO_USERS[0]?.email ?? "" } });

    await withClient(url, async (client) => {
      // Generated rows are consistent by construction: skip per-row FK triggers where allowed.
      await client
        .query("SET session_replication_role = replica")
        .catch(() => console.log("  (not a superuser: foreign keys are checked row by row)"));
      await client.query("SET synchronous_commit = off");
      // One process draws the random numbers, so a seed gives the same data every time.
      await client.query("SET max_parallel_workers_per_gather = 0");
      await client.query("SELECT setseed(0.2026)");
      const rebuild = await dropSecondaryIndexes(client);
      for (const statement of seedStatements(sizes)) await run(client, statement);
      for (const statement of extraStatements(admin.id, sizes)) await run(client, statement);
      await client.query("SET max_parallel_maintenance_workers = 2");
      const indexes = await timed(async () => {
        for (const def of rebuild) await client.query(def);
      });
      console.log(
        `  ${`${rebuild.length} secondary indexes`.padEnd(36)} ${"".padStart(16)}  ${ms(indexes.ms)}`,
      );
    });

    const snapshots = await timed(async () => {
      await takeSnapshot(db, new Date(), null);
      // Earlier days as today's totals, a little larger each day back (what purges since took away):
      // the charts need a history, and replaying it from the rows costs minutes.
      await db.$executeRaw`
        INSERT INTO storage_snapshots (day, org_id, plan, category, items, bytes)
        SELECT s.day - d, s.org_id, s.plan, s.category, (s.items * (1 + d * 0.01))::bigint, (s.bytes * (1 + d * 0.01))::bigint
        FROM storage_snapshots s, generate_series(1, 30) d`;
    });
    console.log(
      `  ${"storage snapshots (today + 30 days)".padEnd(36)} ${"".padStart(16)}  ${ms(snapshots.ms)}`,
    );
    await db.$disconnect();

    const vacuum = await timed(() => withClient(url, (c) => c.query("VACUUM (ANALYZE)")));
    console.log(`  ${"VACUUM ANALYZE".padEnd(36)} ${"".padStart(16)}  ${ms(vacuum.ms)}`);
    const size = await withClient(url, (c) =>
      c.query<{ size: string }>(
        "SELECT pg_size_pretty(pg_database_size(current_database())) AS size",
      ),
    );
    console.log(
      `\n  ${count(sizes.orgs)} orgs, ${count(sizes.artifacts)} artifacts, ${count(sizes.driftChecks)} drift checks, ${count(sizes.incidents)} incidents`,
    );
    console.log(
      `  database ${BENCH_DB}: ${size.rows[0]?.size ?? "?"}, built in ${ms(Date.now() - started)}`,
    );
    console.log(`  ${server.where}`);
  } finally {
    await server.stop();
  }
}

runCli(main);
