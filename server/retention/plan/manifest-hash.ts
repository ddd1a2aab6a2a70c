import { createHash } from "node:crypto";
import { sql, type Sql } from "../sql";

/** A part of a manifest: its digest, its items and their bytes. */
export type Part = { digest: string; items: bigint; bytes: bigint };

/**
 * The digest of a part of a manifest (`rows`: plan items with their id,
 * category, org_id, item_id, object_key and bytes): SHA-256, as lowercase
 * hex, of its lines `<CATEGORY>:<orgId>:<item id or object key>` in item
 * order, joined by a newline; with its count and bytes. A part is what one
 * planning step wrote, so each is computed over a bounded set of rows, in
 * the step's own transaction.
 */
export const partDigestSql = (rows: Sql): Sql => sql`
  SELECT encode(sha256(convert_to(coalesce(string_agg(
    r.category::text || ':' || r.org_id || ':' || coalesce(r.item_id::text, r.object_key), E'\n' ORDER BY r.id), ''), 'UTF8')), 'hex') AS digest,
    count(*)::bigint AS items, coalesce(sum(r.bytes), 0)::bigint AS bytes
  FROM ${rows} r`;

/** The digest of a part with no items. */
export const EMPTY_PART_DIGEST = createHash("sha256").digest("hex");

/**
 * The manifest hash: SHA-256, as lowercase hex, of the parts' digests in
 * step order joined by a newline. A plan written at once is one part.
 */
export const manifestHashOf = (digests: string[]) =>
  createHash("sha256").update(digests.join("\n"), "utf8").digest("hex");
