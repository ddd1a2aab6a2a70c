import { createHash } from "node:crypto";
import yauzl from "yauzl";

export type ArchiveEntry = { bytes: number; sha256: string };

/**
 * Every file of a zip with its size and SHA-256, each entry streamed
 * through the digest (a 1 GB archive is never held in memory), read by
 * yauzl apart from the code that wrote it.
 */
export async function archiveDigests(file: string): Promise<Map<string, ArchiveEntry>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))),
  );
  const entries = new Map<string, ArchiveEntry>();
  await new Promise<void>((resolve, reject) => {
    zip.on("end", resolve);
    zip.on("error", reject);
    zip.on("entry", (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error ?? new Error("no stream"));
        const digest = createHash("sha256");
        let bytes = 0;
        stream.on("data", (c: Buffer) => {
          digest.update(c);
          bytes += c.length;
        });
        stream.on("error", reject);
        stream.on("end", () => {
          entries.set(entry.fileName, { bytes, sha256: digest.digest("hex") });
          zip.readEntry();
        });
      }),
    );
    zip.readEntry();
  });
  return entries;
}

/** One file of a zip, whole (the manifest: small). */
export async function archiveFile(file: string, name: string): Promise<Buffer | null> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))),
  );
  return new Promise((resolve, reject) => {
    zip.on("end", () => resolve(null));
    zip.on("error", reject);
    zip.on("entry", (entry: yauzl.Entry) => {
      if (entry.fileName !== name) return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error ?? new Error("no stream"));
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("error", reject);
        stream.on("end", () => {
          zip.close();
          resolve(Buffer.concat(chunks));
        });
      });
    });
    zip.readEntry();
  });
}
