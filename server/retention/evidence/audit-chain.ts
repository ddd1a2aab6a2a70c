import { createHash } from "node:crypto";
import type { Db } from "../../db";
import { auditAnchors, type AuditAnchor } from "./audit-anchors";

export const GENESIS_HASH = "0".repeat(64);

/** Keys in a fixed order, so the same entry always hashes the same. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

export type ChainedFields = {
  at: Date;
  actorId: number | null;
  actor: string;
  action: string;
  orgId: number | null;
  target: string | null;
  details: unknown;
};

/**
 * An entry's hash, in words, for an auditor who has only the entries
 * (an evidence pack's audit-log.ndjson): what `entryHash` computes.
 */
export const AUDIT_HASH_FORMULA =
  "sha256(prevHash + the entry's fields {action, actor, actorId, at, details, orgId, target} as JSON " +
  "without spaces, keys sorted at every level, values as in the file), as lowercase hex; " +
  "the first entry's prevHash is 64 zeros";

/** The hash an entry must carry: SHA-256 of the previous hash and the entry's fields. */
export function entryHash(prevHash: string, fields: ChainedFields): string {
  return createHash("sha256")
    .update(prevHash)
    .update(
      canonical({
        at: fields.at.toISOString(),
        actorId: fields.actorId,
        actor: fields.actor,
        action: fields.action,
        orgId: fields.orgId,
        target: fields.target,
        details: fields.details,
      }),
    )
    .digest("hex");
}

export type ChainVerdict =
  | { intact: true; entries: number; anchors: number }
  | {
      intact: false;
      entries: number;
      /** The first entry that is wrong, or null when entries are missing from the end. */
      brokenAt: string | null;
      reason: string;
    };

/**
 * Walks the audit log in order and recomputes every hash from the previous
 * one: an edited, removed or reordered entry breaks the chain where it is.
 * Each anchor (the head a run recorded at its end, or one the caller kept from a
 * manifest or a metrics scrape) must still be reached with its hash: a log
 * whose tail was cut, which the hashes alone cannot show, falls short of it.
 */
export async function verifyAuditChain(
  db: Db,
  options: { anchors?: AuditAnchor[] } = {},
): Promise<ChainVerdict> {
  const anchors = options.anchors ?? (await auditAnchors(db));
  const byPosition = new Map(anchors.map((a) => [a.entries, a]));
  let prevHash = GENESIS_HASH;
  let after = 0n;
  let entries = 0;
  for (;;) {
    const rows = await db.auditEntry.findMany({
      where: { id: { gt: after } },
      orderBy: { id: "asc" },
      take: 5000,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      entries++;
      if (row.prevHash !== prevHash) {
        return {
          intact: false,
          entries,
          brokenAt: row.id.toString(),
          reason: "does not follow the entry before it (one was removed or reordered)",
        };
      }
      const expected = entryHash(prevHash, {
        at: row.at,
        actorId: row.actorId,
        actor: row.actor,
        action: row.action,
        orgId: row.orgId,
        target: row.target,
        details: row.details,
      });
      if (expected !== row.hash) {
        return {
          intact: false,
          entries,
          brokenAt: row.id.toString(),
          reason: "its content no longer matches its hash (it was edited)",
        };
      }
      const anchor = byPosition.get(BigInt(entries));
      if (anchor && anchor.headHash !== row.hash) {
        return {
          intact: false,
          entries,
          brokenAt: row.id.toString(),
          reason: `it is entry ${entries}, but ${anchor.label} anchored a different entry there (the log was rewritten from here on)`,
        };
      }
      prevHash = row.hash;
    }
    after = rows[rows.length - 1]?.id ?? after;
  }
  const furthest = anchors.reduce<AuditAnchor | null>(
    (best, a) => (!best || a.entries > best.entries ? a : best),
    null,
  );
  if (furthest && furthest.entries > BigInt(entries)) {
    return {
      intact: false,
      entries,
      brokenAt: null,
      reason: `the log ends after ${entries} entries, but ${furthest.label} anchored ${furthest.entries}: entries were removed from its end`,
    };
  }
  return { intact: true, entries, anchors: anchors.length };
}
