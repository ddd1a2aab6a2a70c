import { createHash, type KeyObject } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable, Transform, type Writable } from "node:stream";
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
 * Writes a zip into a stream, one entry after another, each streamed through
 * a SHA-256 on its way in: nothing of a file is held beyond the stream's
 * buffers, and `files` lists each one's digest and size as a manifest does.
 */
export class ZipWriter {
  readonly files: PackFile[] = [];
  private readonly archive: ZipArchive;
  private readonly closed: Promise<void>;
  private current: Readable | null = null;

  constructor(out: Writable, options: { comment?: string } = {}) {
    this.archive = new ZipArchive({ zlib: { level: 6 }, comment: options.comment });
    this.closed = new Promise((resolve, reject) => {
      out.on("close", resolve);
      out.on("error", reject);
      this.archive.on("error", reject);
    });
    // Awaited by `end`; a failure before then is reported by the `add` it stops.
    this.closed.catch(() => undefined);
    this.archive.pipe(out);
  }

  /**
   * Adds one file and waits until the archive has taken all of it; `store`
   * keeps it uncompressed (files that are compressed already).
   */
  async add(
    name: string,
    content: Readable | AsyncIterable<string | Uint8Array> | string,
    options: { store?: boolean } = {},
  ) {
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
      const failed = (error: Error) => {
        this.archive.off("entry", done);
        reject(error);
      };
      const done = () => {
        this.archive.off("error", failed);
        resolve();
      };
      hashing.once("error", failed);
      this.archive.once("error", failed);
      this.archive.once("entry", done);
    });
    this.current = source;
    this.archive.append(source.pipe(hashing), { name, date: new Date(0), store: options.store });
    await taken;
    this.current = null;
    const file = { name, sha256: digest.digest("hex"), bytes };
    this.files.push(file);
    return file;
  }

  /** Ends the zip; resolves once the stream it writes into has closed. */
  async end() {
    await this.archive.finalize();
    await this.closed;
  }

  /** Stops the zip after a failure downstream: the file being added and the zip end with `error`. */
  abort(error: Error) {
    this.current?.destroy();
    this.archive.destroy(error);
  }
}

/**
 * A pack: a zip written to a local file. Its comment is a placeholder of
 * the signature's length, replaced by `finish` once every byte before it is
 * written.
 */
export class PackWriter extends ZipWriter {
  constructor(private readonly path: string) {
    super(createWriteStream(path), { comment: ARCHIVE_SIGNATURE_PLACEHOLDER });
  }

  /** Ends the zip and signs it: the signature takes the comment's place, the file's last bytes. */
  async finish(key: KeyObject): Promise<{ sha256: string; bytes: number }> {
    await this.end();
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
