import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appError } from "@/test/app-error";
import { builders } from "@/test/builders";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { testS3Store } from "@/test/storage";
import { createApiToken, listApiTokens, revokeApiToken, userForToken } from "./api-tokens";

let database: TestDatabase;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  database = await createTestDatabase();
  b = builders(database.db, testS3Store());
});
afterAll(() => database.drop());

const DAY = 86_400_000;
const NOW = new Date("2026-12-01T12:00:00Z");
const create = (userId: number, token: unknown, actor: { id: number } | "system" = "system") =>
  createApiToken(database.db, { actor, via: "console", userId, token, now: NOW });

describe("API tokens", () => {
  it("expire after 90 days by default, or after the days asked for, at most 365", async () => {
    const admin = await b.user("ADMIN");
    const made = await create(admin.id, { name: "ci" });
    expect([made.scope, made.expiresAt]).toEqual(["READ", new Date(NOW.getTime() + 90 * DAY)]);
    expect((await create(admin.id, { name: "ci", expiresInDays: 365 })).expiresAt).toEqual(
      new Date(NOW.getTime() + 365 * DAY),
    );
    const before = await database.db.apiToken.count();
    for (const expiresInDays of [0, 366, 1.5]) {
      expect((await appError(create(admin.id, { name: "ci", expiresInDays }))).code).toBe(
        "BAD_INPUT",
      );
    }
    expect(await database.db.apiToken.count()).toBe(before);
  });

  it("are refused once expired or revoked, or when their user is disabled, like an unknown one", async () => {
    const admin = await b.user("ADMIN");
    const { token, id } = await create(admin.id, { name: "ci", expiresInDays: 1 });
    expect((await userForToken(database.db, token, NOW))?.user.id).toBe(admin.id);
    expect(await userForToken(database.db, token, new Date(NOW.getTime() + DAY))).toBeNull();
    expect(await userForToken(database.db, "lethe_made-up", NOW)).toBeNull();

    const other = await create(admin.id, { name: "cd" });
    await revokeApiToken(database.db, {
      actor: { id: admin.id },
      via: "console",
      tokenId: other.id,
      anyOwner: false,
    });
    expect(await userForToken(database.db, other.token, NOW)).toBeNull();

    const third = await create(admin.id, { name: "ops" });
    await database.db.user.update({ where: { id: admin.id }, data: { disabledAt: new Date() } });
    expect(await userForToken(database.db, third.token, NOW)).toBeNull();
    const listed = await listApiTokens(database.db, { userId: admin.id });
    expect(listed.find((t) => t.id === id)?.lastUsedAt).toEqual(NOW);
  });

  it("a PURGE token only for an admin; a user revokes only their own, an admin anyone's; all audited", async () => {
    const viewer = await b.user("VIEWER");
    const admin = await b.user("ADMIN");
    const refused = await appError(create(viewer.id, { name: "x", scope: "PURGE" }));
    expect([refused.code, refused.message]).toEqual([
      "FORBIDDEN",
      `A PURGE token needs the ADMIN role; user ${viewer.id} is VIEWER. Create a READ token instead.`,
    ]);
    const adminToken = await create(admin.id, { name: "purger", scope: "PURGE" }, { id: admin.id });
    expect((await userForToken(database.db, adminToken.token, NOW))?.scope).toBe("PURGE");

    const notYours = await appError(
      revokeApiToken(database.db, {
        actor: { id: viewer.id },
        via: "console",
        tokenId: adminToken.id,
        anyOwner: false,
      }),
    );
    expect([notYours.code, notYours.message]).toEqual([
      "NOT_FOUND",
      `No API token ${adminToken.id}.`,
    ]);
    const viewerToken = await create(viewer.id, { name: "reader" }, { id: viewer.id });
    await revokeApiToken(database.db, {
      actor: { id: admin.id },
      via: "console",
      tokenId: viewerToken.id,
      anyOwner: true,
    });
    const again = await appError(
      revokeApiToken(database.db, {
        actor: { id: viewer.id },
        via: "console",
        tokenId: viewerToken.id,
        anyOwner: false,
      }),
    );
    expect(again.code).toBe("CONFLICT");
    const trail = await database.db.auditEntry.findMany({
      where: { target: { in: [`token:${adminToken.id}`, `token:${viewerToken.id}`] } },
      orderBy: { id: "asc" },
    });
    expect(trail.map((e) => [e.action, e.actorId, e.target, e.details])).toEqual([
      [
        "token.created",
        admin.id,
        `token:${adminToken.id}`,
        { userId: admin.id, scope: "PURGE", expiresInDays: 90, via: "console" },
      ],
      [
        "token.created",
        viewer.id,
        `token:${viewerToken.id}`,
        { userId: viewer.id, scope: "READ", expiresInDays: 90, via: "console" },
      ],
      [
        "token.revoked",
        admin.id,
        `token:${viewerToken.id}`,
        { userId: viewer.id, scope: "READ", via: "console" },
      ],
    ]);
  });
});
