import type { Db } from "../../db";

/** How often, at most, an export's progress is written while it builds. */
const PROGRESS_EVERY_MS = 500;

/**
 * An export's progress, counted in memory as items and bytes go into the
 * archive and written at most every half second, one write at a time.
 */
export function exportProgress(db: Db, exportId: number) {
  let items = 0n;
  let bytes = 0n;
  let written = 0;
  let writing = Promise.resolve();
  const write = () => {
    written = Date.now();
    const data = { itemsDone: items, bytesDone: bytes };
    writing = writing.then(async () => {
      await db.export.update({ where: { id: exportId }, data });
    });
    return writing;
  };
  return {
    add(moreItems: number, moreBytes: bigint) {
      items += BigInt(moreItems);
      bytes += moreBytes;
      // A failed write fails the chain: `flush` reports it and the build fails.
      if (Date.now() - written >= PROGRESS_EVERY_MS) write().catch(() => undefined);
    },
    flush: write,
  };
}
