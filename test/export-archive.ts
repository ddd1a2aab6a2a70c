import { createHash } from "node:crypto";
import yauzl from "yauzl";
import type { Engine } from "../server/retention/deps";
import { savePack } from "./evidence-pack";

/** Every file of a zip, as bytes, read by yauzl apart from the code that wrote it. */
export async function unzipBytes(file: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))),
  );
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on("end", resolve);
    zip.on("error", reject);
    zip.on("entry", (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error ?? new Error("no stream"));
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("error", reject);
        stream.on("end", () => {
          files.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      }),
    );
    zip.readEntry();
  });
  return files;
}

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
