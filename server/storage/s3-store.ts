import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { MAX_KEYS_PER_DELETE, type DeleteOutcome, type ObjectStore } from "./object-store";

export type S3StoreConfig = {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Attempts for keys that DeleteObjects reports as throttled or failed transiently. */
  deleteAttempts?: number;
  /** Base of the exponential backoff between those attempts. */
  backoffMs?: number;
};

const RETRYABLE_KEY_ERRORS = new Set([
  "SlowDown",
  "InternalError",
  "ServiceUnavailable",
  "RequestTimeout",
]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class S3Store implements ObjectStore {
  readonly kind = "s3" as const;
  private readonly client: S3Client;

  constructor(private readonly config: S3StoreConfig) {
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
      // The SDK's default checksums corrupt streamed bodies on some
      // S3-compatible servers; checksums only where the API demands them.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 4,
    });
  }

  async put(key: string, body: Uint8Array | string) {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.config.bucket, Key: key, Body: body }),
    );
  }

  /** One PutObject of a known length (up to 5 GB), streamed from the file. */
  async upload(key: string, file: string) {
    const { size } = await stat(file);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.config.bucket,
        Key: key,
        Body: createReadStream(file),
        ContentLength: size,
      }),
    );
  }

  /**
   * A multipart upload of parts of 5 MB (S3's least), two in flight: what it holds in
   * memory is bounded by those, whatever the stream's length. On failure the
   * upload is aborted, its parts discarded.
   */
  async write(key: string, body: Readable) {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key: key, Body: body },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  downloadUrl(key: string, seconds: number, fileName: string) {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.config.bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename="${fileName.replace(/[^\w.-]/g, "_")}"`,
      }),
      { expiresIn: seconds },
    );
  }

  async read(key: string) {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: key }),
      );
      return out.Body instanceof Readable ? out.Body : null;
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
        return null;
      throw error;
    }
  }

  async head(key: string) {
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.config.bucket, Key: key }),
      );
      return { key, bytes: out.ContentLength ?? 0, lastModified: out.LastModified ?? new Date(0) };
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
        return null;
      throw error;
    }
  }

  /**
   * Lists at most one key of the bucket within `timeoutMs`: the endpoint,
   * the bucket and the credentials answer. Throws what S3 (or the network)
   * said.
   */
  async probe(timeoutMs: number) {
    await this.client.send(new ListObjectsV2Command({ Bucket: this.config.bucket, MaxKeys: 1 }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
  }

  async list(prefix: string, options: { cursor?: string | null; limit?: number } = {}) {
    const out = await this.client.send(
      new ListObjectsV2Command({
        Bucket: this.config.bucket,
        Prefix: prefix,
        ContinuationToken: options.cursor ?? undefined,
        MaxKeys: options.limit ?? 1000,
      }),
    );
    return {
      objects: (out.Contents ?? []).map((o) => ({
        key: o.Key ?? "",
        bytes: o.Size ?? 0,
        lastModified: o.LastModified ?? new Date(0),
      })),
      nextCursor: out.IsTruncated ? (out.NextContinuationToken ?? null) : null,
    };
  }

  /**
   * Deletes in DeleteObjects requests of at most 1000 keys. S3 answers a
   * missing key as deleted, which is what the engine wants. Keys reported
   * throttled or failing transiently are retried with backoff; what still
   * fails is returned in `failed`, never in `deleted`.
   */
  async deleteMany(keys: string[]): Promise<DeleteOutcome> {
    const outcome: DeleteOutcome = { deleted: [], failed: [], requests: 0 };
    for (let i = 0; i < keys.length; i += MAX_KEYS_PER_DELETE) {
      await this.deleteChunk(keys.slice(i, i + MAX_KEYS_PER_DELETE), outcome);
    }
    return outcome;
  }

  private async deleteChunk(chunk: string[], outcome: DeleteOutcome) {
    const attempts = this.config.deleteAttempts ?? 5;
    const backoffMs = this.config.backoffMs ?? 100;
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      let retry: string[] = [];
      const lastAttempt = attempt >= attempts;
      try {
        outcome.requests++;
        const out = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.config.bucket,
            Delete: { Objects: pending.map((Key) => ({ Key })), Quiet: false },
          }),
        );
        const reported = new Set<string>();
        for (const d of out.Deleted ?? []) {
          if (d.Key === undefined) continue;
          reported.add(d.Key);
          outcome.deleted.push(d.Key);
        }
        for (const e of out.Errors ?? []) {
          if (e.Key === undefined) continue;
          reported.add(e.Key);
          if (!lastAttempt && RETRYABLE_KEY_ERRORS.has(e.Code ?? "")) retry.push(e.Key);
          else
            outcome.failed.push({
              key: e.Key,
              reason: `${e.Code ?? "Error"}: ${e.Message ?? ""}`.trim(),
            });
        }
        // A key the answer does not mention was not confirmed deleted.
        for (const key of pending) {
          if (!reported.has(key)) {
            if (lastAttempt) outcome.failed.push({ key, reason: "not reported by DeleteObjects" });
            else retry.push(key);
          }
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (lastAttempt) {
          for (const key of pending) outcome.failed.push({ key, reason });
        } else {
          retry = pending;
        }
      }
      pending = retry;
      if (pending.length > 0) await sleep(backoffMs * 2 ** (attempt - 1));
    }
  }
}
