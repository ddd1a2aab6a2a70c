import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import type { RetentionCategory } from "../../generated/prisma/enums";
import { categoryOf } from "../categories";
import type { RowCategory } from "../categories/category";
import type { Engine } from "../deps";
import { appendAudit } from "../evidence/audit-log";
import { addDays } from "../policy/effective-window";
import { ndjson, ZipWriter } from "../evidence/pack/writer";
import { EXPORT_FORMAT, exportRow, objectPath } from "./archive-files";
import { dueItems, dueTotals, liveRows, type DueScope } from "./due";
import { exportProgress } from "./progress";

/** Where exports are kept in the bucket: outside every org's prefix, so no category ever governs them. */
export const EXPORTS_PREFIX = "exports/";

/** Due items read per query. */
const PAGE_SIZE = 500;

type Counts = { rows: number; objects: number; objectBytes: bigint; missingObjects: number };
type Missing = { category: RetentionCategory; itemId: number; objectKey: string };

/** A category's rows as NDJSON lines, a page at a time: each line the live row's columns. */
async function* rowLines(
  engine: Engine,
  category: RowCategory,
  scope: DueScope,
  counts: Counts,
  progress: ReturnType<typeof exportProgress>,
) {
  for await (const page of dueItems(engine, category, scope, PAGE_SIZE)) {
    const rows = await liveRows(
      engine,
      category,
      page.map((i) => i.itemId),
    );
    counts.rows += rows.length;
    progress.add(rows.length, 0n);
    yield* rows.map(exportRow);
  }
}

/**
 * Writes the archive's files into `zip`: per category its rows, then its
 * objects read as streams from the store (one at a time, uncompressed: they
 * mostly are already), then manifest.json. An object that is gone by now
 * (purged meanwhile) is listed as missing, not fatal.
 */
async function writeContents(
  engine: Engine,
  zip: ZipWriter,
  scope: DueScope,
  categories: RowCategory[],
  progress: ReturnType<typeof exportProgress>,
) {
  const counts: Partial<Record<RetentionCategory, Counts>> = {};
  const missing: Missing[] = [];
  const objectOf = new Map<string, { item: number; objectKey: string }>();
  const taken = new Set<string>();
  for (const category of categories) {
    const c: Counts = { rows: 0, objects: 0, objectBytes: 0n, missingObjects: 0 };
    counts[category.key] = c;
    await zip.add(`${category.key}.ndjson`, ndjson(rowLines(engine, category, scope, c, progress)));
    if (!category.storesObjects) continue;
    for await (const page of dueItems(engine, category, scope, PAGE_SIZE)) {
      for (const item of page) {
        if (!item.objectKey) continue;
        const body = await engine.store.read(item.objectKey);
        if (!body) {
          c.missingObjects++;
          missing.push({ category: category.key, itemId: item.itemId, objectKey: item.objectKey });
          continue;
        }
        const path = objectPath(category.key, item.objectKey, item.itemId, taken);
        const file = await zip.add(path, body, { store: true });
        objectOf.set(path, { item: item.itemId, objectKey: item.objectKey });
        c.objects++;
        c.objectBytes += BigInt(file.bytes);
        progress.add(1, BigInt(file.bytes));
      }
    }
  }
  const manifest = {
    format: EXPORT_FORMAT,
    org: { id: scope.org.id, name: scope.org.name },
    categories: categories.map((c) => c.key),
    asOf: scope.asOf.toISOString(),
    withinDays: scope.withinDays,
    dueBy: addDays(scope.asOf, scope.withinDays).toISOString(),
    counts,
    missingObjects: missing,
    files: zip.files.map((f) => ({
      path: f.name,
      bytes: f.bytes,
      sha256: f.sha256,
      ...objectOf.get(f.name),
    })),
  };
  await zip.add("manifest.json", JSON.stringify(manifest, bigintText, 2) + "\n");
  return counts;
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

const bigintText = (_: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

/**
 * Builds export `exportId`: counts what falls due first (the progress's
 * totals, set-based), then streams the zip end to end into the store under
 * exports/ (S3: a multipart upload), hashing the archive as it goes, and
 * marks it READY with its digest, or FAILED with why. A retry after a crash
 * rebuilds it from scratch; the key is the same, so the object is replaced.
 */
export async function buildExport(engine: Engine, exportId: number) {
  const db = engine.db;
  const log = engine.log.child({ exportId });
  const row = await db.export.update({
    where: { id: exportId },
    data: { status: "BUILDING", startedAt: new Date(), itemsDone: 0, bytesDone: 0, error: null },
  });
  try {
    const org = await db.organization.findUnique({
      where: { id: row.orgId },
      select: { id: true, plan: true, name: true },
    });
    if (!org) throw new Error(`Organization ${row.orgId} no longer exists.`);
    const scope: DueScope = { org, asOf: row.asOf, withinDays: row.withinDays };
    const categories = row.categories.map((k) => categoryOf(k) as RowCategory);
    let itemsTotal = 0n;
    let bytesTotal = 0n;
    for (const category of categories) {
      const t = await dueTotals(engine, category, scope);
      itemsTotal += t.rows + t.objects;
      bytesTotal += t.objectBytes;
    }
    await db.export.update({ where: { id: exportId }, data: { itemsTotal, bytesTotal } });
    const progress = exportProgress(db, exportId);
    const objectKey = `${EXPORTS_PREFIX}export-${exportId}-org-${org.id}.zip`;
    const digest = createHash("sha256");
    let bytes = 0;
    const archive = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        digest.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const zip = new ZipWriter(archive);
    const stored = engine.store.write(objectKey, archive);
    stored.catch((error: unknown) => zip.abort(asError(error)));
    let counts;
    try {
      counts = await writeContents(engine, zip, scope, categories, progress);
      await zip.end();
      await stored;
    } catch (error) {
      // The upload sees its body fail and aborts: no half archive is stored.
      archive.destroy(asError(error));
      await stored.catch(() => undefined);
      throw error;
    }
    await progress.flush();
    const sha256 = digest.digest("hex");
    await db.$transaction(async (tx) => {
      await tx.export.update({
        where: { id: exportId },
        data: { status: "READY", objectKey, sha256, bytes, finishedAt: new Date() },
      });
      await appendAudit(tx, {
        actor: "system",
        action: "export.built",
        orgId: org.id,
        target: `export:${exportId}`,
        details: { sha256, bytes, counts },
      });
    });
    log.info({ bytes, orgId: org.id }, "export built");
  } catch (error) {
    log.error({ err: error }, "export failed");
    await db.export.update({
      where: { id: exportId },
      data: {
        status: "FAILED",
        error: error instanceof Error ? error.message : String(error),
        finishedAt: new Date(),
      },
    });
    throw error;
  }
}
