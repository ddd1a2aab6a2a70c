import { openSeededBench } from "./lib/bench-db";
import { benchEngine } from "./lib/engine";
import { count, header, numericFlags } from "./lib/report";
import { artifacts } from "../server/retention/categories/artifacts";
import type { RowCategory } from "../server/retention/categories/category";
import { driftChecks, latestChecksOf } from "../server/retention/categories/drift-checks";
import type { Engine } from "../server/retention/deps";
import { backupKeep } from "../server/retention/policy/effective-window";
import {
  loadOverrides,
  windowsFor,
  windowsRelation,
  type OrgWindow,
} from "../server/retention/policy/org-windows";
import { collect } from "../server/retention/plan/collect";
import { partDigestSql } from "../server/retention/plan/manifest-hash";
import { raw, sql, type Sql, type Tx } from "../server/retention/sql";
import { runCli } from "../scripts/cli";

/**
 * `npm run bench:manifest-shapes`: what one planning step costs when its
 * manifest is written in other shapes, on the scale dataset. Each shape
 * writes the same eligible items of the same step in a transaction that is
 * rolled back, interleaved round by round with the engine's own statement
 * (collect()). The shapes other than the engine's are candidates, written
 * here only: the study behind docs/benchmarks.md's "Where the dry run's
 * time goes". A shape's digest is checked against the engine's, so a shape
 * that would change the manifest hash shows it. A drift check step is then
 * read back as a sweep reads it, a batch at a time in manifest order, from
 * rows and from chunks, in the same transaction.
 */

const PLAN = "bench-manifest-shapes";
const LATEST = "bench_shapes_latest_checks";
const NARROW = "bench_shapes_items";
const SWEPT_CHUNKS = "bench_shapes_swept_chunks";
const ORG_CHUNKS = "bench_shapes_org_chunks";
const UNINDEXED = "bench_shapes_unindexed_items";
/**
 * Items a chunk holds at most, as a power of two: a drift check chunk's five arrays of 64
 * come to about 1.8 kB, under the 2 kB from which Postgres compresses a row and stores it
 * apart (TOAST).
 */
const CHUNK_BITS = 6;

/** The latest checks of the fleet's environments, found once, as a plan's LATEST_CHECKS steps find them. */
const LATEST_CHECKS = sql`SELECT environment_id, latest_id FROM ${raw(LATEST)}`;

class RolledBack extends Error {}

type Written = { digest?: string; items: bigint };
/** Reads what a step wrote batch after batch, in manifest order; returns the items read. */
type Sweeper = (batch: number) => Promise<number>;

/**
 * A shape of a step's manifest: how it is written, and for a swept category
 * how a sweep reads it back (its stretch's bounds found first, untimed).
 */
type Shape = {
  name: string;
  write: (tx: Tx) => Promise<Written>;
  sweep?: (tx: Tx) => Promise<Sweeper>;
};

/** Reads batch after batch from `next(cursor)` until one comes back empty; returns the items read. */
async function sweepThrough<C>(
  first: C,
  next: (cursor: C) => Promise<{ n: number; cursor: C | null } | undefined>,
) {
  let cursor = first;
  let items = 0;
  for (;;) {
    const read = await next(cursor);
    if (!read || read.n === 0 || read.cursor === null) return items;
    items += read.n;
    cursor = read.cursor;
  }
}

/** The digest of chunks as the engine's digest of their items: lines in item order, a newline between. */
const chunkDigest = (chunks: Sql, line: Sql, orderBy: Sql) => sql`
  SELECT encode(sha256(convert_to(coalesce(string_agg(c.text, E'\n' ORDER BY ${orderBy}), ''), 'UTF8')), 'hex') AS digest,
         coalesce(sum(c.n), 0)::bigint AS items
  FROM (SELECT w.*, cardinality(w.item_ids) AS n,
               (SELECT string_agg(${line}, E'\n' ORDER BY k)
                FROM unnest(w.org_ids, w.item_ids) WITH ORDINALITY AS u(org_id, item_id, k)) AS text
        FROM ${chunks} w) c`;

/**
 * The eligible items of a step as `category.eligible` finds them, with their
 * eligible time, in the order the shape writes them.
 */
const eligibleOf = (category: RowCategory, windows: OrgWindow[], where: Sql, orderBy?: Sql) => sql`
  WITH windows AS NOT MATERIALIZED ${windowsRelation(windows)}
  SELECT e.org_id, e.item_id, e.object_key, e.bytes, e.aged_at + make_interval(days => w.days) AS eligible_at,
         ${category.recordsNewer ? sql`e.newer_item_id` : sql`NULL::int`} AS newer_item_id
  FROM (${category.eligible({ windows: sql`windows`, keepNewest: backupKeep({}), latestChecks: LATEST_CHECKS })}) e
  JOIN windows w ON w.org_id = e.org_id
  ${where} ${orderBy ? sql`ORDER BY ${orderBy}` : sql``}`;

/** The shapes of one step: the engine's, the bare (category, org, id) rows, and chunks of item arrays. */
function shapesOf(
  engine: Engine,
  category: RowCategory,
  windows: OrgWindow[],
  range?: { first: bigint; last: bigint },
): Shape[] {
  const where = range ? sql`WHERE e.item_id BETWEEN ${range.first} AND ${range.last}` : sql``;
  const swept = range !== undefined;
  const line = sql`${category.key} || ':' || u.org_id || ':' || u.item_id`;
  // Each array takes its items in the sorted subquery's order, which a plain group
  // aggregate keeps; were it not kept, the chunk's digest would differ from the engine's.
  const chunks: Shape = swept
    ? {
        name: `chunks of ≤ ${2 ** CHUNK_BITS} consecutive ids, orgs in an array`,
        write: async (tx) => {
          const [row] = await tx.$queryRaw<Written[]>(sql`
            WITH written AS (
              INSERT INTO ${raw(SWEPT_CHUNKS)} (plan_id, chunk, org_ids, item_ids, bytes, eligible_at, newer_item_ids)
              SELECT ${PLAN}, s.item_id >> ${raw(String(CHUNK_BITS))}, array_agg(s.org_id), array_agg(s.item_id),
                     array_agg(s.bytes), array_agg(s.eligible_at), array_agg(s.newer_item_id)
              FROM (${eligibleOf(category, windows, where, sql`e.item_id`)}) s
              GROUP BY s.item_id >> ${raw(String(CHUNK_BITS))}
              RETURNING chunk, org_ids, item_ids)
            ${chunkDigest(sql`written`, line, sql`c.chunk`)}`);
          return row ?? { items: 0n };
        },
        // A sweep batch's read of its next items after the cursor (a chunk and a place in it).
        sweep: async (tx) => (batch) =>
          sweepThrough({ chunk: -1n, k: 0n }, async (at) => {
            const [row] = await tx.$queryRaw<
              { n: number; chunk: bigint | null; k: bigint | null }[]
            >(sql`
              WITH items AS MATERIALIZED (
                SELECT c.chunk, u.k, u.org_id, u.item_id, u.newer_item_id, u.bytes
                FROM ${raw(SWEPT_CHUNKS)} c
                CROSS JOIN LATERAL unnest(c.org_ids, c.item_ids, c.newer_item_ids, c.bytes)
                  WITH ORDINALITY AS u(org_id, item_id, newer_item_id, bytes, k)
                WHERE c.plan_id = ${PLAN} AND c.chunk >= ${at.chunk} AND (c.chunk, u.k) > (${at.chunk}, ${at.k})
                ORDER BY c.chunk, u.k LIMIT ${batch})
              SELECT count(*)::int AS n, (array_agg(chunk ORDER BY chunk DESC, k DESC))[1] AS chunk,
                     (array_agg(k ORDER BY chunk DESC, k DESC))[1] AS k
              FROM items`);
            return (
              row && {
                n: row.n,
                cursor:
                  row.chunk === null || row.k === null ? null : { chunk: row.chunk, k: row.k },
              }
            );
          }),
      }
    : {
        name: `chunks of ≤ ${2 ** CHUNK_BITS} items of one org`,
        write: async (tx) => {
          const [row] = await tx.$queryRaw<Written[]>(sql`
            WITH written AS (
              INSERT INTO ${raw(ORG_CHUNKS)} (plan_id, org_id, chunk, item_ids, object_keys, bytes, eligible_at)
              SELECT ${PLAN}, s.org_id, s.n >> ${raw(String(CHUNK_BITS))}, array_agg(s.item_id), array_agg(s.object_key),
                     array_agg(s.bytes), array_agg(s.eligible_at)
              FROM (SELECT e.*, row_number() OVER (PARTITION BY e.org_id ORDER BY e.item_id) - 1 AS n
                    FROM (${eligibleOf(category, windows, where, sql`e.org_id, e.item_id`)}) e) s
              GROUP BY s.org_id, s.n >> ${raw(String(CHUNK_BITS))}
              RETURNING org_id, chunk, array_fill(org_id, ARRAY[cardinality(item_ids)]) AS org_ids, item_ids)
            ${chunkDigest(sql`written`, line, sql`c.org_id, c.chunk`)}`);
          return row ?? { items: 0n };
        },
      };
  // The engine's rows and columns, into a table with no index while the step
  // writes it; its two indexes are built after, as a plan indexed once at its
  // finish would build them (here a step's share of that build).
  const unindexed: Shape = {
    name: "a row per item, indexed after it is written",
    write: async (tx) => {
      const [row] = await tx.$queryRaw<Written[]>(sql`
        WITH written AS (
          INSERT INTO ${raw(UNINDEXED)} (plan_id, org_id, category, item_id, object_key, bytes, eligible_at, newer_item_id)
          SELECT ${PLAN}, s.org_id, ${category.key}::"RetentionCategory", s.item_id, s.object_key, s.bytes,
                 s.eligible_at, s.newer_item_id
          FROM (${eligibleOf(category, windows, where, swept ? sql`e.item_id` : sql`e.org_id, e.item_id`)}) s
          RETURNING id, category, org_id, item_id, object_key, bytes)
        ${partDigestSql(sql`written`)}`);
      await tx.$executeRaw(sql`ALTER TABLE ${raw(UNINDEXED)} ADD PRIMARY KEY (id)`);
      await tx.$executeRaw(sql`CREATE INDEX ON ${raw(UNINDEXED)} (plan_id, org_id, category, id)`);
      return row ?? { items: 0n };
    },
  };
  return [
    {
      name: "the engine's: a row per item (collect)",
      write: (tx) =>
        collect(tx, PLAN, category, windows, engine, {
          itemRange: range,
          latestChecks: swept ? LATEST_CHECKS : undefined,
        }),
      // As a sweep's batch takes its items from its stretch (run/sweeps/purge-batch.ts).
      sweep: swept
        ? async (tx) => {
            const [stretch] = await tx.$queryRaw<{ first: bigint; last: bigint }[]>(sql`
              SELECT min(id) AS first, max(id) AS last FROM plan_items WHERE plan_id = ${PLAN}`);
            const first = stretch?.first ?? 1n;
            const last = stretch?.last ?? 0n;
            return (batch) =>
              sweepThrough(first - 1n, async (through) => {
                const [row] = await tx.$queryRaw<{ n: number; through: bigint | null }[]>(sql`
                  WITH items AS MATERIALIZED (
                    SELECT p.id, p.org_id, p.item_id, p.newer_item_id, p.bytes FROM plan_items p
                    WHERE p.plan_id = ${PLAN} AND p.category = ${category.key}::"RetentionCategory"
                      AND p.id > ${through} AND p.id <= ${last}
                    ORDER BY p.id LIMIT ${batch})
                  SELECT count(*)::int AS n, max(id) AS through FROM items`);
                return row && { n: row.n, cursor: row.through };
              });
          }
        : undefined,
    },
    {
      name: "bare: a (category, org, id) row per item",
      write: async (tx) => ({
        items: BigInt(
          await tx.$executeRaw(sql`
            INSERT INTO ${raw(NARROW)} (category, org_id, item_id)
            SELECT ${category.key}, s.org_id, s.item_id FROM (${eligibleOf(category, windows, where)}) s`),
        ),
      }),
    },
    unindexed,
    chunks,
  ];
}

type Worked = { written: Written; ms: number; swept?: { items: number; ms: number } };

/** Writes a step in a shape, then sweeps it if the shape says how, in a transaction rolled back. */
async function rolledBack(engine: Engine, shape: Shape) {
  let result: Worked | null = null;
  try {
    await engine.db.$transaction(
      async (tx) => {
        const began = performance.now();
        const written = await shape.write(tx);
        const ms = performance.now() - began;
        let swept: Worked["swept"];
        if (shape.sweep) {
          // As the finish of a large plan does: the planner's picture of the tables written.
          await tx.$executeRaw(sql`ANALYZE plan_items, ${raw(SWEPT_CHUNKS)}`);
          const sweep = await shape.sweep(tx);
          const start = performance.now();
          const items = await sweep(engine.settings.batchSize);
          swept = { items, ms: performance.now() - start };
        }
        result = { written, ms, swept };
        throw new RolledBack();
      },
      { timeout: 10 * 60_000 },
    );
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  if (!result) throw new Error(`${shape.name} wrote nothing`);
  return result as Worked;
}

/** Works each step's shapes in turn and prints each shape's times beside the engine's. */
async function compare(engine: Engine, title: string, steps: Shape[][]) {
  const times = new Map<string, number[]>();
  const sweeps = new Map<string, { items: number; ms: number }[]>();
  let items = 0n;
  let sameDigests = true;
  for (const shapes of steps) {
    let engineDigest: string | undefined;
    for (const shape of shapes) {
      const { written, ms, swept } = await rolledBack(engine, shape);
      times.set(shape.name, [...(times.get(shape.name) ?? []), ms]);
      if (swept) sweeps.set(shape.name, [...(sweeps.get(shape.name) ?? []), swept]);
      if (shape === shapes[0]) {
        engineDigest = written.digest;
        items += written.items;
      } else if (written.digest !== undefined && written.digest !== engineDigest)
        sameDigests = false;
    }
  }
  console.log(`  ${title} (${steps.length} steps, ${count(items)} items):`);
  const total = (name: string) => (times.get(name) ?? []).reduce((sum, t) => sum + t, 0);
  const engineMs = total(steps[0]?.[0]?.name ?? "");
  for (const [name, ts] of times) {
    const perItem = (total(name) * 1000) / Math.max(1, Number(items));
    console.log(
      `    ${name.padEnd(46)} ${ts.map((t) => (t / 1000).toFixed(2)).join(" / ")} s   ${perItem.toFixed(1)} µs an item   ${(total(name) / engineMs).toFixed(2)}× the engine's`,
    );
  }
  console.log(
    `    the other shapes' digests ${sameDigests ? "equal the engine's" : "DIFFER from the engine's"}`,
  );
  if (sweeps.size === 0) return;
  console.log(`    read back as a sweep does, ${count(engine.settings.batchSize)} items a batch:`);
  const engineSwept = sweeps.get(steps[0]?.[0]?.name ?? "") ?? [];
  const sweptMs = (of: { ms: number }[]) => of.reduce((sum, s) => sum + s.ms, 0);
  for (const [name, of] of sweeps) {
    const read = of.reduce((sum, s) => sum + s.items, 0);
    const perItem = (sweptMs(of) * 1000) / Math.max(1, read);
    console.log(
      `    ${name.padEnd(46)} ${of.map((s) => (s.ms / 1000).toFixed(2)).join(" / ")} s   ${perItem.toFixed(2)} µs an item   ${(sweptMs(of) / Math.max(1, sweptMs(engineSwept))).toFixed(2)}× the engine's   ${count(read)} read`,
    );
  }
}

async function createTables(engine: Engine, windows: OrgWindow[]) {
  await dropTables(engine);
  await engine.db.$executeRaw(
    sql`CREATE TABLE ${raw(LATEST)} AS ${latestChecksOf(windowsRelation(windows))}`,
  );
  await engine.db.$executeRaw(
    sql`CREATE TABLE ${raw(NARROW)} (category text NOT NULL, org_id int NOT NULL, item_id int NOT NULL)`,
  );
  await engine.db.$executeRaw(sql`
    CREATE TABLE ${raw(UNINDEXED)} (id bigserial, plan_id text NOT NULL, org_id int NOT NULL,
      category "RetentionCategory" NOT NULL, item_id int, object_key text, bytes bigint NOT NULL,
      eligible_at timestamp(3) NOT NULL, newer_item_id int)`);
  await engine.db.$executeRaw(sql`
    CREATE TABLE ${raw(SWEPT_CHUNKS)} (plan_id text NOT NULL, chunk bigint NOT NULL, org_ids int[] NOT NULL,
      item_ids int[] NOT NULL, bytes bigint[] NOT NULL, eligible_at timestamptz[] NOT NULL, newer_item_ids int[],
      PRIMARY KEY (plan_id, chunk))`);
  await engine.db.$executeRaw(sql`
    CREATE TABLE ${raw(ORG_CHUNKS)} (plan_id text NOT NULL, org_id int NOT NULL, chunk bigint NOT NULL,
      item_ids int[] NOT NULL, object_keys text[], bytes bigint[] NOT NULL, eligible_at timestamptz[] NOT NULL,
      PRIMARY KEY (plan_id, org_id, chunk))`);
}

async function dropTables(engine: Engine) {
  await engine.db.$executeRaw(
    sql`DROP TABLE IF EXISTS ${raw([LATEST, NARROW, UNINDEXED, SWEPT_CHUNKS, ORG_CHUNKS].join(", "))}`,
  );
}

async function main() {
  const flags = numericFlags({ steps: 3 });
  const bench = await openSeededBench();
  const { engine, close } = await benchEngine(bench.url);
  try {
    header("bench:manifest-shapes — one planning step's manifest, written each way", bench.where);
    const asOf = new Date();
    const orgs = await engine.db.organization.findMany({
      select: { id: true, plan: true, name: true },
      orderBy: { id: "asc" },
    });
    const overrides = await loadOverrides(engine.db, null);
    const windowsOf = (category: RowCategory, of = orgs) =>
      windowsFor(category, of, engine.settings.policy, overrides, asOf);
    await createTables(engine, windowsOf(driftChecks));
    const [ids] = await engine.db.$queryRaw<{ first: bigint; last: bigint }[]>(
      sql`SELECT min(id)::bigint AS first, max(id)::bigint AS last FROM drift_checks`,
    );
    const size = BigInt(engine.settings.planStepItems);
    const span = (ids?.last ?? 0n) - (ids?.first ?? 0n);
    const spread = Array.from({ length: flags.steps }, (_, i) => i + 1);
    const sweptSteps = spread.map((i) => {
      const first = (ids?.first ?? 0n) + (span * BigInt(i)) / BigInt(flags.steps + 1);
      return shapesOf(engine, driftChecks, windowsOf(driftChecks), {
        first,
        last: first + size - 1n,
      });
    });
    await compare(engine, `drift checks, ${count(size)} ids a step`, sweptSteps);
    const perStep = engine.settings.planStepOrgs;
    const orgSteps = spread.map((i) => {
      const from = Math.floor((orgs.length * i) / (flags.steps + 1));
      return shapesOf(engine, artifacts, windowsOf(artifacts, orgs.slice(from, from + perStep)));
    });
    await compare(engine, `artifacts, ${count(perStep)} orgs a step`, orgSteps);
  } finally {
    await dropTables(engine);
    await close();
    await bench.stop();
  }
}

runCli(main);
