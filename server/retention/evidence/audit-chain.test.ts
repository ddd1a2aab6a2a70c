import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, runAs, type TestDatabase } from "@/test/database";
import { appendAudit } from "./audit-log";
import { verifyAuditChain } from "./audit-chain";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  for (let i = 1; i <= 5; i++) {
    await database.db.$transaction((tx) =>
      appendAudit(tx, {
        actor: { id: i },
        action: "hold.placed",
        orgId: i,
        target: `hold:${i}`,
        details: { scope: "ORG", n: i },
      }),
    );
  }
});
afterAll(() => database.drop());

describe("the audit log", () => {
  it("is a hash chain that verifies intact", async () => {
    expect(await verifyAuditChain(database.db)).toEqual({ intact: true, entries: 5, anchors: 0 });
  });

  it("cannot be changed by the app's role, nor by its owner while the triggers stand", async () => {
    for (const change of [
      `UPDATE audit_log SET action = 'x' WHERE id = 1`,
      `DELETE FROM audit_log WHERE id = 1`,
      `TRUNCATE audit_log`,
      `ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`,
    ]) {
      await expect(database.db.$executeRawUnsafe(change)).rejects.toThrow(
        /permission denied|must be owner/,
      );
    }
    await expect(
      runAs(database.ownerUrl, `UPDATE audit_log SET action = 'x' WHERE id = 1`),
    ).rejects.toThrow(/append-only/);
    await expect(runAs(database.ownerUrl, `DELETE FROM audit_log WHERE id = 1`)).rejects.toThrow(
      /append-only/,
    );
    expect(await verifyAuditChain(database.db)).toEqual({ intact: true, entries: 5, anchors: 0 });
  });

  it("detects an entry edited behind the trigger's back, and says where", async () => {
    const [second] = await database.db.auditEntry.findMany({
      orderBy: { id: "asc" },
      skip: 1,
      take: 1,
    });
    // Only the owner can tamper, and only by dropping the guard first.
    await runAs(
      database.ownerUrl,
      `ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
       UPDATE audit_log SET details = '{"scope":"ORG","n":99}' WHERE id = ${second?.id}`,
    );
    const verdict = await verifyAuditChain(database.db);
    expect(verdict).toMatchObject({
      intact: false,
      brokenAt: String(second?.id),
      reason: expect.stringMatching(/edited/),
    });

    await runAs(database.ownerUrl, `DELETE FROM audit_log WHERE id = ${second?.id}`);
    const removed = await verifyAuditChain(database.db);
    expect(removed).toMatchObject({
      intact: false,
      brokenAt: String((second?.id ?? 0n) + 1n),
      reason: expect.stringMatching(/removed/),
    });
    await runAs(database.ownerUrl, `ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
  });
});
