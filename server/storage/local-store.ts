import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, readdir, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DeleteOutcome, ObjectPage, ObjectStore, StoredObject } from "./object-store";

/**
 * Objects as files under one folder: the embedded default for `npm run dev`.
 * Keys map to relative paths; listing walks the folder in key order.
 */
export class LocalStore implements ObjectStore {
  readonly kind = "local" as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private fileFor(key: string) {
    const file = path.resolve(this.root, key);
    if (!file.startsWith(this.root + path.sep))
      throw new Error(`Object key escapes the storage folder: ${key}`);
    return file;
  }

  async put(key: string, body: Uint8Array | string, lastModified?: Date) {
    const file = this.fileFor(key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, body);
    if (lastModified) await utimes(file, lastModified, lastModified);
  }

  async upload(key: string, from: string) {
    const file = this.fileFor(key);
    await mkdir(path.dirname(file), { recursive: true });
    await copyFile(from, file);
  }

  /** Written beside its key and renamed into place: a reader never sees half a file. */
  async write(key: string, body: Readable) {
    const file = this.fileFor(key);
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.partial-${process.pid}`;
    try {
      await pipeline(body, createWriteStream(partial));
      await rename(partial, file);
    } finally {
      await rm(partial, { force: true });
    }
  }

  downloadUrl() {
    return Promise.resolve(null);
  }

  async read(key: string) {
    return (await this.head(key)) ? createReadStream(this.fileFor(key)) : null;
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const s = await stat(this.fileFor(key));
      return s.isFile() ? { key, bytes: s.size, lastModified: s.mtime } : null;
    } catch {
      return null;
    }
  }

  async list(
    prefix: string,
    options: { cursor?: string | null; limit?: number } = {},
  ): Promise<ObjectPage> {
    const limit = options.limit ?? 1000;
    const keys = (await this.walk("")).filter(
      (k) => k.startsWith(prefix) && (!options.cursor || k > options.cursor),
    );
    keys.sort();
    const page = keys.slice(0, limit);
    const objects: StoredObject[] = [];
    for (const key of page) {
      const found = await this.head(key);
      if (found) objects.push(found);
    }
    const last = page.at(-1);
    return { objects, nextCursor: keys.length > limit && last ? last : null };
  }

  private async walk(dir: string): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(path.join(this.root, dir), { withFileTypes: true });
    } catch {
      return [];
    }
    const keys: string[] = [];
    for (const entry of entries) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) keys.push(...(await this.walk(rel)));
      else if (entry.isFile()) keys.push(rel);
    }
    return keys;
  }

  async deleteMany(keys: string[]): Promise<DeleteOutcome> {
    const outcome: DeleteOutcome = { deleted: [], failed: [], requests: 0 };
    for (const key of keys) {
      outcome.requests++;
      try {
        await rm(this.fileFor(key), { force: true });
        outcome.deleted.push(key);
      } catch (error) {
        outcome.failed.push({
          key,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return outcome;
  }
}
