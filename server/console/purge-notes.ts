import type { Db } from "../db";
import type { RetentionCategory } from "../generated/prisma/enums";

/** What a purge took of one category from a shell: how many items, and on which days. */
export type PurgeNoteView = { items: number; firstPurgedAt: Date; lastPurgedAt: Date };

/**
 * The purge note of each shell that has one (see PurgeNote in schema.prisma):
 * a page that lists what is left of a shell's items says, beside it, what a
 * purge took.
 */
export async function purgeNotes(
  db: Db,
  category: RetentionCategory,
  shellIds: number[],
): Promise<Map<number, PurgeNoteView>> {
  const notes = await db.purgeNote.findMany({
    where: { category, shellId: { in: shellIds } },
  });
  return new Map(
    notes.map((n) => [
      n.shellId,
      { items: n.items, firstPurgedAt: n.firstPurgedAt, lastPurgedAt: n.lastPurgedAt },
    ]),
  );
}
