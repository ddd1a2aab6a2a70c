import type { Readable } from "node:stream";

/** One object as listed: its key, size and last modification time. */
export type StoredObject = { key: string; bytes: number; lastModified: Date };

export type ObjectPage = { objects: StoredObject[]; nextCursor: string | null };

export type DeleteOutcome = {
  /** Keys that are gone now, including keys that were already missing. */
  deleted: string[];
  /** Keys whose object may still exist, with the storage's reason. */
  failed: { key: string; reason: string }[];
  /** Storage requests made, retries included (benchmarks count them). */
  requests: number;
};

/**
 * What Lethe needs of object storage. The purge engine deletes objects
 * through `deleteMany` only, and trusts `deleted` alone: a key in `failed`
 * keeps its row for the next run.
 */
export interface ObjectStore {
  readonly kind: "s3" | "local";
  put(key: string, body: Uint8Array | string, lastModified?: Date): Promise<void>;
  /** Stores a local file as `key`, streamed: a file of any size in bounded memory. */
  upload(key: string, file: string): Promise<void>;
  /**
   * Stores a stream of unknown length as `key` in bounded memory (a multipart
   * upload on S3); a stream that fails leaves no object behind.
   */
  write(key: string, body: Readable): Promise<void>;
  /**
   * A link that downloads `key` as `fileName` for `seconds` without
   * credentials (S3: presigned), or null where the server must stream it
   * itself (the local folder).
   */
  downloadUrl(key: string, seconds: number, fileName: string): Promise<string | null>;
  /** The object's bytes as a stream, or null when there is no such object. */
  read(key: string): Promise<Readable | null>;
  head(key: string): Promise<StoredObject | null>;
  /** Lists keys under `prefix` in key order, one page at a time. */
  list(prefix: string, options?: { cursor?: string | null; limit?: number }): Promise<ObjectPage>;
  deleteMany(keys: string[]): Promise<DeleteOutcome>;
}

/** S3's DeleteObjects takes at most this many keys per request. */
export const MAX_KEYS_PER_DELETE = 1000;
