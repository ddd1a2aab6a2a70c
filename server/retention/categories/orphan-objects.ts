import type { ObjectCategory } from "./category";
import { sql, type Tx } from "../sql";
import { CATEGORY_LABELS } from "./labels";

/** Every org's objects live under this prefix; nothing outside it is swept. */
export const orgPrefix = (orgId: number) => `orgs/${orgId}/`;

async function unreferenced(tx: Tx, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ key: string }[]>(sql`
    SELECT k.key FROM unnest(${keys}::text[]) AS k(key)
    WHERE NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.object_key = k.key)
      AND NOT EXISTS (SELECT 1 FROM backups b WHERE b.object_key = k.key)
      -- An item in its restore window (kept, not restored) holds its object.
      AND NOT EXISTS (
        SELECT 1 FROM kept_items ki WHERE ki.object_key = k.key AND ki.restored_at IS NULL)`);
  return new Set(rows.map((r) => r.key));
}

/**
 * Objects no row references (temp uploads, extracted audio, leftovers of
 * failed jobs), aged by their LastModified. The bucket is listed one page at
 * a time; every page is checked against the referencing tables in one query.
 */
export const orphanObjects: ObjectCategory = {
  kind: "objects",
  key: "ORPHAN_OBJECTS",
  label: CATEGORY_LABELS.ORPHAN_OBJECTS,
  agedBy: "last modified",
  action: "delete object",
  async eligiblePage(tx, store, orgId, cutoff, cursor) {
    const page = await store.list(orgPrefix(orgId), { cursor, limit: 1000 });
    const old = page.objects.filter((o) => o.lastModified < cutoff);
    const free = await unreferenced(
      tx,
      old.map((o) => o.key),
    );
    return {
      candidates: old.filter((o) => free.has(o.key)),
      scanned: page.objects.length,
      nextCursor: page.nextCursor,
    };
  },
  stillUnreferenced: unreferenced,
};
