import type { Db } from "../../../db";
import { AUDIT_HASH_FORMULA, verifyAuditChain } from "../audit-chain";
import { entriesConcerning } from "../audit-log";
import { bounds, type Period } from "./period";

/**
 * The audit chain's part of a pack: the whole chain verified now (a period
 * cannot be verified alone: each entry's hash covers every one before it),
 * the anchors the runs that ended in the period wrote, and the period's entries
 * with their hashes (of the org when the pack has one).
 */
export async function auditChainFiles(db: Db, p: Period) {
  const { from, to } = bounds(p);
  const verdict = await verifyAuditChain(db);
  const anchors = await db.auditAnchor.findMany({
    where: { at: { gte: from, lt: to } },
    orderBy: { id: "asc" },
  });
  // An org's entries as the console's audit log gives them: those naming it,
  // and those of the runs (and their plans) that worked it.
  const inPeriod = {
    at: { gte: from, lt: to },
    ...(p.orgId === null ? {} : await entriesConcerning(db, p.orgId)),
  };
  const count = await db.auditEntry.count({ where: inPeriod });
  const verification = {
    verdict,
    checkedAt: new Date().toISOString(),
    scope: `the whole audit log, from its first entry: each entry's hash is ${AUDIT_HASH_FORMULA}; and each run's anchor (the log's entry count and head hash when it ended) must still be reached`,
    anchorsOfPeriod: anchors.map((a) => ({
      runId: a.runId,
      entries: a.entries.toString(),
      headHash: a.headHash,
      at: a.at.toISOString(),
    })),
    entriesOfPeriod: {
      count,
      file: "audit-log.ndjson",
      note:
        p.orgId === null
          ? "every entry of the period, in chain order"
          : `the period's entries about org ${p.orgId} (naming it, or naming a run or plan that worked it): each carries its prevHash, so its hash can be recomputed, but they are not consecutive`,
    },
  };
  async function* entries() {
    let after = 0n;
    for (;;) {
      const page = await db.auditEntry.findMany({
        where: { id: { gt: after }, ...inPeriod },
        orderBy: { id: "asc" },
        take: 1000,
      });
      if (page.length === 0) return;
      after = page[page.length - 1]?.id ?? after;
      yield* page.map((e) => ({
        id: e.id.toString(),
        at: e.at.toISOString(),
        actorId: e.actorId,
        actor: e.actor,
        action: e.action,
        orgId: e.orgId,
        target: e.target,
        details: e.details,
        prevHash: e.prevHash,
        hash: e.hash,
      }));
    }
  }
  return { verification, entries };
}
