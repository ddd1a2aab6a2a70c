import type { Readable } from "node:stream";
import { AppError } from "../../../errors";
import type { Engine } from "../../deps";
import { appendAudit, type Actor } from "../audit-log";
import { buildPack } from "./build";
import { checkPeriod, type Period } from "./period";
import { periodBatches, runsOfPeriod } from "./population";

/** A pack of at most this many manifest batches is built in the request that asks for it; a bigger one is queued. */
export const INLINE_MAX_BATCHES = 2_000;

type Admin = Exclude<Actor, "system">;

/** The signing key, or the reason there is none (before anything is written). */
export function signingKey(engine: Engine) {
  if (!engine.evidenceKey)
    throw new AppError("PRECONDITION", "This process has no evidence signing key.");
  return engine.evidenceKey();
}

/**
 * Asks for the pack of a period: checks it, records the request (audited),
 * and builds a small pack at once; a big one goes on the queue, for a
 * worker to build in the background. Returns the pack's row.
 */
export async function requestPack(
  engine: Engine,
  input: { actor: Admin; period: Period },
  inlineMaxBatches = INLINE_MAX_BATCHES,
) {
  const key = signingKey(engine);
  const period = await checkPeriod(engine.db, input.period);
  const runIds = (await runsOfPeriod(engine.db, period)).map((r) => r.id);
  const batches = await periodBatches(engine.db, period, runIds);
  const pack = await engine.db.$transaction(async (tx) => {
    const row = await tx.evidencePack.create({
      data: {
        fromDay: new Date(`${period.fromDay}T00:00:00Z`),
        toDay: new Date(`${period.toDay}T00:00:00Z`),
        orgId: period.orgId,
        requestedById: input.actor.id,
        total: batches,
      },
    });
    await appendAudit(tx, {
      actor: input.actor,
      action: "evidence.requested",
      orgId: period.orgId,
      target: `evidence:${row.id}`,
      details: { from: period.fromDay, to: period.toDay, orgId: period.orgId, batches },
    });
    return row;
  });
  if (batches > inlineMaxBatches) {
    await engine.queue.enqueuePack(pack.id);
    return { pack, queued: true };
  }
  await buildPack(engine, pack.id, key);
  const built = await engine.db.evidencePack.findUniqueOrThrow({ where: { id: pack.id } });
  return { pack: built, queued: false };
}

/**
 * Builds queued packs until none is left: `npm run worker` between purges,
 * or the request that queued one. Returns how many it took.
 */
export async function workPacks(engine: Engine) {
  for (let taken = 0; ; taken++) {
    const job = await engine.queue.nextPack();
    if (!job) return taken;
    const row = await engine.db.evidencePack.findUnique({ where: { id: job.packId } });
    try {
      if (row && row.status !== "READY") await buildPack(engine, job.packId, signingKey(engine));
      await engine.queue.endPack(job.jobId);
    } catch (error) {
      await engine.queue.endPack(job.jobId, error);
    }
  }
}

/** The packs asked for, newest first, with their progress and their org's name. */
export async function listPacks(engine: Engine, take = 20) {
  const packs = await engine.db.evidencePack.findMany({ orderBy: { id: "desc" }, take });
  const orgIds = [...new Set(packs.flatMap((p) => (p.orgId === null ? [] : [p.orgId])))];
  const names = new Map(
    (
      await engine.db.organization.findMany({
        where: { id: { in: orgIds } },
        select: { id: true, name: true },
      })
    ).map((o) => [o.id, o.name]),
  );
  return packs.map((p) => ({
    ...p,
    orgName: p.orgId === null ? null : (names.get(p.orgId) ?? null),
  }));
}

/** A built pack's bytes from the bucket, the download audited (who downloaded which pack). */
export async function openPack(
  engine: Engine,
  input: { actor: Admin; packId: number },
): Promise<{ name: string; bytes: bigint | null; body: Readable }> {
  const pack = await engine.db.evidencePack.findUnique({ where: { id: input.packId } });
  if (!pack) throw new AppError("NOT_FOUND", `No evidence pack ${input.packId}.`);
  if (pack.status !== "READY" || !pack.objectKey)
    throw new AppError(
      "CONFLICT",
      `Evidence pack ${pack.id} is ${pack.status.toLowerCase()}, not ready.`,
    );
  const body = await engine.store.read(pack.objectKey);
  if (!body)
    throw new AppError("NOT_FOUND", `Evidence pack ${pack.id} is missing from the bucket.`);
  await engine.db.$transaction((tx) =>
    appendAudit(tx, {
      actor: input.actor,
      action: "evidence.downloaded",
      orgId: pack.orgId,
      target: `evidence:${pack.id}`,
      details: { sha256: pack.sha256 },
    }),
  );
  return {
    name: pack.objectKey.slice(pack.objectKey.lastIndexOf("/") + 1),
    bytes: pack.bytes,
    body,
  };
}
