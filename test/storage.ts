import { inject } from "vitest";
import { S3Store } from "../server/storage/s3-store";
import { TEST_BUCKET } from "./constants";
import { S3RVER_CREDENTIALS } from "./s3-server";

/** A client of the test S3 server, optionally through another endpoint (a fault proxy) or of another bucket. */
export function testS3Store(
  options: { endpoint?: string; bucket?: string; deleteAttempts?: number; backoffMs?: number } = {},
) {
  return new S3Store({
    bucket: options.bucket ?? TEST_BUCKET,
    region: "us-east-1",
    endpoint: options.endpoint ?? inject("s3Endpoint"),
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    deleteAttempts: options.deleteAttempts,
    backoffMs: options.backoffMs ?? 5,
  });
}
