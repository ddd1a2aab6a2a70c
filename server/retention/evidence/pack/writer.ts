import { createHash, type KeyObject } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { ZipArchive } from "archiver";
import { ARCHIVE_SIGNATURE_LENGTH, ARCHIVE_SIGNATURE_PLACEHOLDER, signArchive } from "./signature";

/** A file of the pack as manifest.json lists it. */
export type PackFile = { name: string; sha256: string; bytes: number };

/** JSON lines, with bigints as decimal strings. */
export async function* ndjson(lines: AsyncIterable<unknown> | Iterable<unknown>) {
  for await (const line of lines)
    yield JSON.stringify(line, (_, v) => (typeof v === "bigint" ? v.toString() : v)) + "\n";
}

/**
 * Writes a zip to a local file, one entry after another, each streamed
 * through a SHA-256 on its way in: nothing of a file is held beyond the
 * stream's buffers. The zip's comment is a placeholder of the signature's
 * length, replaced by `sign` once every byte before it is written.
 */
export class PackWriter {
  readonly files: PackFile[] = [];
  private readonly archive = new ZipArchive({
    zlib: { level: 6 },
    comment: ARCHIVE_SIGNATURE_PLACEHOLDER,
  });
  private readonly closed: Promise<void>;

  constructor(private readonly path: string) {
    const out = createWriteStream(path);
    this.closed = new Promise((resolve, reject) => {
      out.on("close", resolve);
      out.on("error", reject);
      this.archive.on("error", reject);
    });
    this.archive.pipe(out);
  }

  /** Adds one file and waits until the archive has taken all of it. */
  async add(name: string, content: Readable | AsyncIterable<string | Uint8Array> | string) {
    const digest = createHash("sha256");
    let bytes = 0;
    const hashing = new Transform({
      transform(chunk: Buffer | string, _encoding, done) {
        const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
        digest.update(buffer);
        bytes += buffer.length;
        done(null, buffer);
      },
    });
    const source = typeof content === "string" ? Readable.from([content]) : Readable.from(content);
    source.on("error", (error) => hashing.destroy(error));
    const taken = new Promise<void>((resolve, reject) => {
      hashing.on("error", reject);
      this.archive.once("entry", () => resolve());
    });
    this.archive.append(source.pipe(hashing), { name, date: new Date(0) });
    await taken;
    this.files.push({ name, sha256: digest.digest("hex"), bytes });
  }

  /** Ends the zip and signs it: the signature takes the comment's place, the file's last bytes. */
  async finish(key: KeyObject): Promise<{ sha256: string; bytes: number }> {
    await this.archive.finalize();
    await this.closed;
    const file = await open(this.path, "r+");
    try {
      const { size } = await file.stat();
      const signed = size - ARCHIVE_SIGNATURE_LENGTH;
      const digest = createHash("sha256");
      const chunk = Buffer.alloc(1 << 20);
      for (let at = 0; at < signed;) {
        const { bytesRead } = await file.read(chunk, 0, Math.min(chunk.length, signed - at), at);
        digest.update(chunk.subarray(0, bytesRead));
        at += bytesRead;
      }
      await file.write(
        Buffer.from(signArchive(key, digest.digest("hex"))),
        0,
        ARCHIVE_SIGNATURE_LENGTH,
        signed,
      );
      return { sha256: await sha256OfFile(this.path), bytes: size };
    } finally {
      await file.close();
    }
  }
}

/** A file's SHA-256, read as a stream. */
export async function sha256OfFile(path: string) {
  const digest = createHash("sha256");
  for await (const chunk of createReadStream(path)) digest.update(chunk as Buffer);
  return digest.digest("hex");
}
