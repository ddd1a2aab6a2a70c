import { createHash } from "node:crypto";
import { entryBytes, zipEntries } from "../../test/zip-entries";

export type ArchiveEntry = { bytes: number; sha256: string };

/**
 * Every file of a zip with its size and SHA-256, each entry streamed
 * through the digest (a 1 GB archive is never held in memory), read by
 * yauzl apart from the code that wrote it.
 */
export const archiveDigests = (file: string): Promise<Map<string, ArchiveEntry>> =>
  zipEntries(file, async (_, stream) => {
    const digest = createHash("sha256");
    let bytes = 0;
    for await (const chunk of stream) {
      digest.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    return { bytes, sha256: digest.digest("hex") };
  });

/** One file of a zip, whole (the manifest: small); the others are not read. */
export async function archiveFile(file: string, name: string): Promise<Buffer | null> {
  const found = await zipEntries(file, async (entry, stream) => {
    if (entry === name) return entryBytes(stream);
    stream.destroy();
    return undefined;
  });
  return found.get(name) ?? null;
}
