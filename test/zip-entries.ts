import type { Readable } from "node:stream";
import yauzl from "yauzl";

/**
 * Reads a zip's entries one after another with yauzl, apart from the code
 * that wrote it: `take` gets each entry's stream and resolves with what it
 * keeps of it (its text, its bytes, its digest), or `undefined` to skip it.
 */
export async function zipEntries<T>(
  file: string,
  take: (name: string, stream: Readable) => Promise<T | undefined>,
): Promise<Map<string, T>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))),
  );
  const kept = new Map<string, T>();
  await new Promise<void>((resolve, reject) => {
    zip.on("end", resolve);
    zip.on("error", reject);
    zip.on("entry", (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error ?? new Error("no stream"));
        take(entry.fileName, stream).then((value) => {
          if (value !== undefined) kept.set(entry.fileName, value);
          zip.readEntry();
        }, reject);
      }),
    );
    zip.readEntry();
  });
  return kept;
}

/** An entry's bytes, whole. */
export async function entryBytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every file of a zip, as bytes. */
export const unzipBytes = (file: string) => zipEntries(file, (_, stream) => entryBytes(stream));
