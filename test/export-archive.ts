import { createHash } from "node:crypto";
import type { Engine } from "../server/retention/deps";
import { savePack } from "./evidence-pack";
import { unzipBytes } from "./zip-entries";

export const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A READY export's archive from the engine's store, saved to a file and its digest checked. */
export async function storedExport(engine: Engine, exportId: number) {
  const row = await engine.db.export.findUniqueOrThrow({ where: { id: exportId } });
  if (row.status !== "READY" || !row.objectKey)
    throw new Error(`export ${exportId} is ${row.status}: ${row.error}`);
  const body = await engine.store.read(row.objectKey);
  if (!body) throw new Error(`export ${exportId} is not in the store`);
  const file = await savePack(body, "export.zip");
  return { row, file, files: await unzipBytes(file) };
}

export type ExportManifest = {
  format: string;
  org: { id: number; name: string };
  categories: string[];
  asOf: string;
  withinDays: number;
  counts: Record<
    string,
    { rows: number; objects: number; objectBytes: string; missingObjects: number }
  >;
  files: { path: string; bytes: number; sha256: string; item?: number; objectKey?: string }[];
};

export const manifestOf = (files: Map<string, Buffer>) =>
  JSON.parse(files.get("manifest.json")?.toString("utf8") ?? "null") as ExportManifest;

export const ndjsonOf = (files: Map<string, Buffer>, name: string) =>
  (files.get(name)?.toString("utf8") ?? "")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
