import { createWriteStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Engine } from "../server/retention/deps";
import { requestPack } from "../server/retention/evidence/pack/packs";
import { entryBytes, zipEntries } from "./zip-entries";

/** Saves a pack's bytes to a file of a temporary folder; returns its path. */
export async function savePack(body: Readable | NodeJS.ReadableStream, name = "pack.zip") {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), "lethe-pack-")), name);
  await pipeline(body, createWriteStream(file));
  return file;
}

/** A READY pack from the engine's bucket, saved to a file. */
export async function storedPack(engine: Engine, packId: number) {
  const row = await engine.db.evidencePack.findUniqueOrThrow({ where: { id: packId } });
  if (row.status !== "READY" || !row.objectKey)
    throw new Error(`pack ${packId} is ${row.status}: ${row.error}`);
  const body = await engine.store.read(row.objectKey);
  if (!body) throw new Error(`pack ${packId} is not in the bucket`);
  return savePack(body);
}

const DAY = 86_400_000;
/** A calendar day `n` days before today (UTC), as a pack's period names it. */
const dayBefore = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

/** Builds the pack of the last 30 days (of one org, or every org) as `actor`, and reads its files. */
export async function lastMonthPack(engine: Engine, actor: { id: number }, orgId: number | null) {
  const { pack: row } = await requestPack(engine, {
    actor,
    period: { fromDay: dayBefore(29), toDay: dayBefore(0), orgId },
  });
  const file = await storedPack(engine, row.id);
  return { row, file, files: await unzip(file) };
}

/** Every file of a zip, as text, read by yauzl apart from the verifier. */
export const unzip = (file: string) =>
  zipEntries(file, async (_, stream) => (await entryBytes(stream)).toString("utf8"));

/** The lines of an NDJSON file, parsed. */
export const ndjsonLines = (text: string | undefined) =>
  (text ?? "")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
