import type { Env } from "../env";
import { LocalStore } from "./local-store";
import type { ObjectStore } from "./object-store";
import { S3Store } from "./s3-store";

export type { DeleteOutcome, ObjectStore, StoredObject } from "./object-store";

/** The bucket S3_BUCKET names, with the deployment's endpoint and credentials. */
export function s3StoreOf(env: Env & { S3_BUCKET: string }) {
  return new S3Store({
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    credentials:
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
        : undefined,
  });
}

/**
 * S3 when S3_BUCKET is set, else the local folder (STORAGE=local, or the
 * embedded default outside production: env.ts refuses anything else).
 */
export function createObjectStore(env: Env): ObjectStore {
  const bucket = env.S3_BUCKET;
  return bucket ? s3StoreOf({ ...env, S3_BUCKET: bucket }) : new LocalStore(env.STORAGE_DIR);
}
