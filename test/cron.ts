import { inject } from "vitest";
import type { Db } from "../server/db";
import { TEST_BUCKET } from "./constants";
import { S3RVER_CREDENTIALS } from "./s3-server";

/** The environment the cron route reads, as on Vercel: the test's database, S3 and secret. */
export const cronEnv = (
  databaseUrl: string,
  secret: string,
  s3: { bucket?: string; endpoint?: string } = {},
) => ({
  DATABASE_URL: databaseUrl,
  CRON_SECRET: secret,
  S3_BUCKET: s3.bucket ?? TEST_BUCKET,
  S3_ENDPOINT: s3.endpoint ?? inject("s3Endpoint"),
  S3_FORCE_PATH_STYLE: "true",
  S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
  S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  CRON_MAX_DURATION_SECONDS: "10",
});

/** One org with one captured error resolved 40 days ago: what a FREE plan's daily run deletes. */
export async function anExpiredError(db: Db, name: string) {
  const org = await db.organization.create({
    data: { name, slug: name.toLowerCase().replaceAll(" ", "-"), plan: "FREE" },
  });
  await db.capturedError.create({
    data: {
      orgId: org.id,
      fingerprint: "f",
      message: "m",
      resolvedAt: new Date(Date.now() - 40 * 86_400_000),
    },
  });
}
