import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { parseEnv } from "./env";
import { startupProblems } from "./startup-checks";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const production = (storageDir: string) =>
  parseEnv({
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    STORAGE: "local",
    STORAGE_DIR: storageDir,
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
