import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { MAX_BATCH } from "./batch";
import { trpcResponse } from "./handler";
import type { Context } from "./init";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** A signed-in viewer's request. */
const viewer = (): Context => ({
  db: database.db,
  engine: () => Promise.reject(new Error("unused")),
  afterResponse: () => {},
  user: { id: 1, email: "v@x", name: "Viewer", role: "VIEWER" },
});

/** The HTTP handler the route file mounts, with a signed-in viewer. */
function request(path: string, input: unknown) {
  const url = `http://localhost/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return trpcResponse(new Request(url), viewer);
}

describe("tRPC over HTTP", () => {
  it("answers a batch of more calls than the console ever makes with 400, calling none", async () => {
    const batch = (n: number) => {
      const paths = Array.from({ length: n }, () => "orgs.list").join(",");
      const input = Object.fromEntries(
        Array.from({ length: n }, (_, i) => [i, { json: { page: 1, pageSize: 5 } }]),
      );
      const url = `http://localhost/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
      return trpcResponse(new Request(url), viewer);
    };
    expect((await batch(MAX_BATCH)).status).toBe(200);
    const refused = await batch(MAX_BATCH + 1);
    expect(refused.status).toBe(400);
  });

  it("answers a malformed input with 400 and names the field", async () => {
    const response = await request("orgs.list", { page: "first", pageSize: 5000 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: {
        json: { message: string; data: { zodError: { fieldErrors: Record<string, string[]> } } };
      };
    };
    expect(body.error.json.message).toMatch(/page: .*expected number/i);
    expect(body.error.json.message).toMatch(/pageSize: .*<=200/i);
    expect(Object.keys(body.error.json.data.zodError.fieldErrors).sort()).toEqual([
      "page",
      "pageSize",
    ]);
  });

  it("answers a well-formed query with 200", async () => {
    const response = await request("orgs.list", { page: 1, pageSize: 10 });
    expect(response.status).toBe(200);
  });
});
