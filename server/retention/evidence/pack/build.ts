import type { KeyObject } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { csvFile } from "../../../csv";
import type { Engine } from "../../deps";
import { actorKey, appendAudit } from "../audit-log";
import { ACTORS_HEADER, actorRows, entryActors } from "./actors";
import { POLICY_SOURCES, policyDays } from "./policy-days";
import { periodBatches, POPULATION_HEADER, populationRows, runsOfPeriod } from "./population";
import { reconciliation } from "./reconciliation";
import { WINDOW_HEADER, windowRows, type WindowAction } from "./window";
import { auditChainFiles } from "./audit-files";
import { configuredWindows, packReadme } from "./readme";
import { keyFingerprint, signBytes } from "./signature";
import { ndjson, PackWriter } from "./writer";
import type { Period } from "./period";
import { isoDay } from "../../../calendar-day";

/** Where packs are kept in the bucket; nothing under it is an org's object. */
export const EVIDENCE_PREFIX = "evidence/";

const totals = (t: { items: bigint; bytes: bigint }) => ({
  items: t.items.toString(),
  bytes: t.bytes.toString(),
});

/** How often, at most, the progress is written while the population streams. */
const PROGRESS_EVERY_MS = 500;

/**
 * Builds pack `packId` (a row of evidence_packs): streams its files into a
 * signed zip on local disk, stores it in the bucket under evidence/ and
 * marks it READY with its digest, or FAILED with why. Memory stays bounded
 * whatever the period holds: the population is read a page of batches at
 * a time and written out as it is read.
 */
export async function buildPack(engine: Engine, packId: number, key: KeyObject) {
  const db = engine.db;
  const log = engine.log.child({ packId });
  const row = await db.evidencePack.update({
    where: { id: packId },
    data: { status: "BUILDING", done: 0, error: null },
  });
  const period: Period = {
    fromDay: isoDay(row.fromDay),
    toDay: isoDay(row.toDay),
    orgId: row.orgId,
  };
  const dir = await mkdtemp(path.join(os.tmpdir(), "lethe-evidence-"));
  try {
    const runIds = (await runsOfPeriod(db, period)).map((r) => r.id);
    const total = await periodBatches(db, period, runIds);
    await db.evidencePack.update({ where: { id: packId }, data: { total } });
    const writer = new PackWriter(path.join(dir, "pack.zip"));
    const counted = { batches: 0, items: 0n, bytes: 0n, mismatches: 0 };
    let written = Date.now();
    let progress = Promise.resolve();
    const onBatch = (items: number, bytes: bigint) => {
      counted.batches++;
      counted.items += BigInt(items);
      counted.bytes += bytes;
      if (Date.now() - written < PROGRESS_EVERY_MS) return;
      written = Date.now();
      const done = counted.batches;
      progress = progress.then(async () => {
        await db.evidencePack.update({ where: { id: packId }, data: { done } });
      });
    };
    await writer.add(
      "population.csv",
      csvFile(POPULATION_HEADER, populationRows(db, period, runIds, onBatch)),
    );
    await progress;
    const window = {
      batches: 0,
      FINALLY_DELETED: { items: 0n, bytes: 0n },
      RESTORED: { items: 0n, bytes: 0n },
    };
    const onWindowBatch = (action: WindowAction, items: number, bytes: bigint) => {
      window.batches++;
      window[action].items += BigInt(items);
      window[action].bytes += bytes;
    };
    await writer.add("window.csv", csvFile(WINDOW_HEADER, windowRows(db, period, onWindowBatch)));
    async function* reconciled() {
      for await (const line of reconciliation(db, period, runIds)) {
        counted.mismatches += line.mismatches.length;
        yield line;
      }
    }
    await writer.add("reconciliation.ndjson", ndjson(reconciled()));
    const chain = await auditChainFiles(db, period);
    await writer.add("audit-chain.json", JSON.stringify(chain.verification, null, 2) + "\n");
    const builtBy = actorKey({ id: row.requestedById });
    const actors = new Set([builtBy]);
    async function* audited() {
      for await (const entry of chain.entries()) {
        for (const key of entryActors(entry)) actors.add(key);
        yield entry;
      }
    }
    await writer.add("audit-log.ndjson", ndjson(audited()));
    await writer.add("actors.csv", csvFile(ACTORS_HEADER, actorRows(db, actors)));
    await writer.add("policy-days.ndjson", ndjson(policyDays(db, period)));
    const summary = {
      format: "lethe-evidence-pack/1",
      pack: packId,
      period: { from: period.fromDay, to: period.toDay, timeZone: "UTC", orgId: period.orgId },
      builtAt: engine.now().toISOString(),
      builtBy,
      population: {
        runs: runIds.length,
        manifestBatches: counted.batches,
        ...totals(counted),
      },
      window: {
        windowBatches: window.batches,
        finallyDeleted: totals(window.FINALLY_DELETED),
        restored: totals(window.RESTORED),
      },
      reconciliation: { mismatches: counted.mismatches },
      auditChain: chain.verification.verdict,
      policy: { sources: POLICY_SOURCES, configuredAtBuild: configuredWindows(engine) },
    };
    await writer.add("pack.json", JSON.stringify(summary, null, 2) + "\n");
    await writer.add("README.txt", packReadme(summary));
    const manifest = Buffer.from(
      JSON.stringify(
        {
          format: summary.format,
          signingKey: keyFingerprint(key),
          algorithm: "Ed25519",
          files: writer.files,
        },
        null,
        2,
      ) + "\n",
    );
    await writer.add("manifest.json", manifest.toString("utf8"));
    await writer.add("manifest.sig", signBytes(key, manifest) + "\n");
    const archive = await writer.finish(key);
    const objectKey = `${EVIDENCE_PREFIX}pack-${packId}-${period.fromDay}-${period.toDay}${period.orgId === null ? "" : `-org-${period.orgId}`}.zip`;
    await engine.store.upload(objectKey, path.join(dir, "pack.zip"));
    await db.$transaction(async (tx) => {
      await tx.evidencePack.update({
        where: { id: packId },
        data: {
          status: "READY",
          done: counted.batches,
          objectKey,
          sha256: archive.sha256,
          bytes: archive.bytes,
          items: counted.items,
          mismatches: counted.mismatches,
          finishedAt: new Date(),
        },
      });
      await appendAudit(tx, {
        actor: "system",
        action: "evidence.built",
        orgId: period.orgId,
        target: `evidence:${packId}`,
        details: { sha256: archive.sha256, items: counted.items, mismatches: counted.mismatches },
      });
    });
    log.info({ items: counted.items.toString(), bytes: archive.bytes }, "evidence pack built");
  } catch (error) {
    log.error({ err: error }, "evidence pack failed");
    await db.evidencePack.update({
      where: { id: packId },
      data: {
        status: "FAILED",
        error: error instanceof Error ? error.message : String(error),
        finishedAt: new Date(),
      },
    });
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
