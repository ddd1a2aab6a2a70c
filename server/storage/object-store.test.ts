import { randomUUID } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { buffer } from "node:stream/consumers";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testS3Store } from "@/test/storage";
import { LocalStore } from "./local-store";
import type { ObjectStore } from "./object-store";

const stores: [string, () => Promise<ObjectStore>][] = [
  ["S3 (s3rver)", async () => testS3Store()],
  [
    "local folder",
    async () => new LocalStore(await mkdtemp(path.join(os.tmpdir(), "lethe-local-"))),
  ],
];

describe.each(stores)("object storage round trip: %s", (_name, makeStore) => {
  it("puts, lists page by page, heads and batch-deletes", async () => {
    const store = await makeStore();
    const prefix = `orgs/${randomUUID()}/`;
    const keys = Array.from({ length: 7 }, (_, i) => `${prefix}file-${i}.bin`);
    for (const [i, key] of keys.entries()) await store.put(key, new Uint8Array(100 + i));

    const listed: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await store.list(prefix, { cursor, limit: 3 });
      listed.push(...page.objects.map((o) => o.key));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(listed.sort()).toEqual([...keys].sort());

    const head = await store.head(keys[2] ?? "");
    expect(head?.bytes).toBe(102);

    const missing = `${prefix}never-existed.bin`;
    const outcome = await store.deleteMany([...keys.slice(0, 5), missing]);
    expect(outcome.failed).toEqual([]);
    // A key that was already missing counts as deleted: the row may go.
    expect(new Set(outcome.deleted)).toEqual(new Set([...keys.slice(0, 5), missing]));
    expect(await store.head(keys[0] ?? "")).toBeNull();
    expect(await store.head(keys[6] ?? "")).not.toBeNull();
    const left = await store.list(prefix);
    expect(left.objects.map((o) => o.key).sort()).toEqual(keys.slice(5).sort());
  });

  it("uploads a file and reads it back byte for byte; a missing key reads as null", async () => {
    const store = await makeStore();
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), "lethe-upload-")), "pack.zip");
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    await writeFile(file, bytes);
    const key = `evidence/${randomUUID()}.zip`;
    await store.upload(key, file);
    const stream = await store.read(key);
    expect(stream && Buffer.compare(await buffer(stream), bytes)).toBe(0);
    expect(await store.read(`evidence/${randomUUID()}.zip`)).toBeNull();
  });
});

describe("S3 batch delete", () => {
  it("deletes more than 1,000 keys in requests of at most 1,000", async () => {
    const store = testS3Store();
    const prefix = `orgs/${randomUUID()}/`;
    const keys = Array.from({ length: 1005 }, (_, i) => `${prefix}k${i}`);
    await Promise.all(keys.slice(0, 10).map((k) => store.put(k, "x")));
    const outcome = await store.deleteMany(keys);
    expect(outcome.deleted).toHaveLength(1005);
    expect(outcome.requests).toBe(2);
    expect((await store.list(prefix)).objects).toHaveLength(0);
  });
});
