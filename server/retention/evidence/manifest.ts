import type { Db } from "../../db";

/**
 * A manifest batch's digest, in words, for the files an auditor checks by
 * hand (docs/engine.md has it whole; the database's manifest_digest computes it).
 */
export const MANIFEST_DIGEST_FORMULA =
  'sha256("<CATEGORY>:<orgId>:" + ids in manifest order joined by ","), as lowercase hex; ' +
  'manifest order is ascending by each id\'s UTF-8 bytes, so "10" comes before "9"';

export type ManifestBatchRow = {
  batchNo: number;
  taskId: number;
  orgId: number;
  category: string;
  itemIds: string[];
  sha256: string;
  bytes: string;
  createdAt: string;
};

/**
 * The manifest of a run, page by page (keyset on the batch id): what each
 * committed batch deleted, as ids in manifest order with a SHA-256 per
 * batch, which an auditor recomputes from them (docs/engine.md).
 */
export async function* manifestPages(
  db: Db,
  runId: string,
  pageSize = 500,
): AsyncGenerator<ManifestBatchRow[]> {
  let after = 0n;
  for (;;) {
    const rows = await db.manifestBatch.findMany({
      where: { runId, id: { gt: after } },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    yield rows.map((r) => ({
      batchNo: r.batchNo,
      taskId: r.taskId,
      orgId: r.orgId,
      category: r.category,
      itemIds: r.itemIds,
      sha256: r.sha256,
      bytes: r.bytes.toString(),
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
