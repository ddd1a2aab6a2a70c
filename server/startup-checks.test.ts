import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "@/scripts/embedded-db";
import { TEST_BUCKET } from "@/test/constants";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { S3RVER_CREDENTIALS } from "@/test/s3-server";
import { parseEnv } from "./env";
import { startupProblems } from "./startup-checks";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** What a production server has, and a worker must have too, to sign export links. */
const SIGNS_LINKS = {
  NEXTAUTH_SECRET: "a test secret of 16+ characters",
  NEXTAUTH_URL: "https://lethe.example",
};

const production = (storageDir: string, links: Record<string, string> = SIGNS_LINKS) =>
  parseEnv({
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    STORAGE: "local",
    STORAGE_DIR: storageDir,
    ...links,
  });

describe("a production deployment's local folder of objects", () => {
  it("must be there: a mistyped STORAGE_DIR is refused, never created", async () => {
    const missing = path.join(os.tmpdir(), "lethe-no-such-folder", "objects");
    expect(await startupProblems(production(missing), database.db)).toEqual([
      `STORAGE_DIR ${missing} is not an existing folder: set it to the folder that holds the objects (Lethe never creates it)`,
    ]);
    const folder = await mkdtemp(path.join(os.tmpdir(), "lethe-objects-"));
    expect(await startupProblems(production(folder), database.db)).toEqual([]);
  });
});

describe("a production worker", () => {
  it("must sign export links as the server does: without NEXTAUTH_SECRET or NEXTAUTH_URL it is refused", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "lethe-objects-"));
    expect(await startupProblems(production(folder, {}), database.db)).toEqual([
      "NEXTAUTH_SECRET and NEXTAUTH_URL must be set as on the server: the notices this process sends link to exports signed with them",
    ]);
    const { NEXTAUTH_URL } = SIGNS_LINKS;
    expect(await startupProblems(production(folder, { NEXTAUTH_URL }), database.db)).toEqual([
      "NEXTAUTH_SECRET must be set as on the server: the notices this process sends link to exports signed with them",
    ]);
  });
});

describe("a production deployment's S3 bucket", () => {
  const withBucket = (bucket: string, endpoint = inject("s3Endpoint")) =>
    parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      ...SIGNS_LINKS,
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: "true",
      S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    });

  it("must answer a listing: a mistyped bucket is refused with what S3 said", async () => {
    expect(await startupProblems(withBucket(TEST_BUCKET), database.db)).toEqual([]);
    const [problem, ...more] = await startupProblems(
      withBucket("lethe-no-such-bucket"),
      database.db,
    );
    expect(more).toEqual([]);
    expect(problem).toMatch(
      /^the S3 bucket lethe-no-such-bucket at http:\/\/\S+ cannot be listed \(NoSuchBucket, HTTP 404: The specified bucket does not exist\): check S3_BUCKET, S3_REGION, S3_ENDPOINT and the access key; Lethe lists and deletes objects there$/,
    );
    expect(problem).not.toContain(S3RVER_CREDENTIALS.secretAccessKey);
  });

  it("must be reachable: an endpoint nothing listens on is refused", async () => {
    const closed = `http://127.0.0.1:${await freePort(19000 + Math.floor(Math.random() * 1000))}`;
    const [problem] = await startupProblems(withBucket(TEST_BUCKET, closed), database.db);
    expect(problem).toMatch(
      new RegExp(`^the S3 bucket ${TEST_BUCKET} at ${closed} cannot be listed \\(.*ECONNREFUSED`),
    );
  });
});
