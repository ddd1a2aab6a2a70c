import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { trpcResponse } from "./handler";
import type { Context } from "./init";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** The HTTP handler the route file mounts, with a signed-in viewer. */
function request(path: string, input: unknown) {
  const ctx: Context = {
    db: database.db,
    engine: () => Promise.reject(new Error("unused")),
    afterResponse: () => {},
    user: { id: 1, email: "v@x", name: "Viewer", role: "VIEWER" },
  };
  const url = `http://localhost/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return trpcResponse(new Request(url), () => ctx);
}

describe("tRPC over HTTP", () => {
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
