import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { purge } from "@/test/purge";
import { createApiToken } from "../auth/api-tokens";
import { verifyAuditChain } from "../retention/evidence/audit-chain";
import { appendAudit } from "../retention/evidence/audit-log";
import { placeHold, releaseHold } from "../retention/policy/holds";
import { describeAuditEntry } from "@/components/audit/audit-sentence";
import { listAudit } from "./audit-log";

let t: TestEngine;
let b: ReturnType<typeof builders>;
beforeAll(async () => {
  t = await createTestEngine();
  b = builders(t.engine.db, t.engine.store);
});
afterAll(() => t.close());

const page = { offset: 0, limit: 200 };
const actions = (entries: { action: string }[]) => entries.map((e) => e.action).sort();

describe("the audit log names every org an entry concerns", () => {
  it("a one-org purge's preview, confirmation and end name the org; a fleet run's name it by reference, with its result for that org", async () => {
    const admin = await t.engine.db.user.create({
      data: { email: "grace@test.dev", name: "Grace Hopper", role: "ADMIN" },
    });
    const acme = await b.org("FREE", "Acme");
    const other = await b.org("FREE", "Other");
    await Promise.all([b.artifact(acme.id, 40), b.artifact(acme.id, 41), b.prompt(acme.id, 30)]);
    const one = await purge(t.engine, { orgIds: [acme.id], categories: null }, admin);
    for (const action of ["purge.previewed", "purge.confirmed", "purge.finished"]) {
      const entry = await t.engine.db.auditEntry.findFirstOrThrow({
        where: { action, target: { in: [`plan:${one.planId}`, `run:${one.run.id}`] } },
      });
      expect(entry.orgId, action).toBe(acme.id);
    }

    await Promise.all([
      b.artifact(acme.id, 50),
      b.artifact(other.id, 50),
      b.artifact(other.id, 51),
    ]);
    const fleet = await purge(t.engine, { orgIds: null, categories: ["ARTIFACTS"] }, admin);

    const { entries, orgName } = await listAudit(t.engine.db, { ...page, orgId: acme.id });
    expect(orgName).toBe("Acme");
    const finished = entries.filter((e) => e.action === "purge.finished");
    expect(finished.map((e) => e.target)).toEqual([`run:${fleet.run.id}`, `run:${one.run.id}`]);
    // The fleet run's result for Acme alone; the one-org run's whole.
    expect(finished[0]?.outcome).toMatchObject({ orgName: "Acme", deleted: 1n, archived: 0n });
    expect(finished[1]?.outcome).toMatchObject({
      orgName: "Acme",
      deleted: 2n,
      archived: 1n,
      categories: expect.any(Number),
    });
    expect(finished[1]?.orgName).toBe("Acme");
    expect(entries.every((e) => e.actorLabel === "Grace Hopper" || e.actor === "system")).toBe(
      true,
    );
    const theirs = await listAudit(t.engine.db, { ...page, orgId: other.id });
    expect(theirs.entries.map((e) => e.target)).not.toContain(`run:${one.run.id}`);
    expect(actions(theirs.entries)).toEqual([
      "purge.confirmed",
      "purge.finished",
      "purge.previewed",
    ]);
    expect(theirs.entries.find((e) => e.action === "purge.finished")?.outcome).toMatchObject({
      orgName: "Other",
      deleted: 2n,
    });
    expect(await verifyAuditChain(t.engine.db)).toMatchObject({ intact: true });
  });

  it("a fleet run's entry that names one org (a restore or a review of its part) is that org's alone, not every org the run worked", async () => {
    const admin = await b.user("ADMIN");
    const mine = await b.org("FREE", "Mine");
    const theirs = await b.org("FREE", "Theirs");
    await Promise.all([b.artifact(mine.id, 50), b.artifact(theirs.id, 50)]);
    const fleet = await purge(t.engine, { orgIds: null, categories: ["ARTIFACTS"] }, admin);
    // As a restore of Theirs' part of the run writes it (retention/restore/restore.ts).
    await t.engine.db.$transaction((tx) =>
      appendAudit(tx, {
        actor: admin,
        action: "purge.restored",
        orgId: theirs.id,
        target: `run:${fleet.run.id}`,
        details: { scope: `org ${theirs.id} × ARTIFACTS of run ${fleet.run.id}`, items: 1 },
      }),
    );
    const actionsOf = async (orgId: number) =>
      actions(
        (await listAudit(t.engine.db, { ...page, orgId })).entries.filter(
          (e) => e.target === `run:${fleet.run.id}`,
        ),
      );
    expect(await actionsOf(mine.id)).toEqual(["purge.confirmed", "purge.finished"]);
    expect(await actionsOf(theirs.id)).toEqual([
      "purge.confirmed",
      "purge.finished",
      "purge.restored",
    ]);
  });

  it("a preview's entry counts the categories it found items in as its confirmation's does, of those it looked at", async () => {
    const org = await b.org("FREE", "Counted");
    // One org, planned in the request; then the fleet, planned in steps.
    for (const orgIds of [[org.id], null]) {
      await Promise.all([b.artifact(org.id, 40), b.prompt(org.id, 30)]);
      const { planId, run } = await purge(t.engine, { orgIds, categories: null });
      // Unfiltered: narrowed to one org, a fleet run's entry gives that org's result only.
      const { entries } = await listAudit(t.engine.db, page);
      const sentence = (action: string, target: string) => {
        const entry = entries.find((e) => e.action === action && e.target === target);
        return entry ? { text: describeAuditEntry(entry), outcome: entry.outcome } : null;
      };
      const confirmed = sentence("purge.confirmed", `run:${run.id}`);
      const categories = confirmed?.outcome?.categories ?? 0;
      expect(categories).toBeGreaterThan(0);
      expect(confirmed?.text).toContain(` in ${categories} categor`);
      expect(sentence("purge.previewed", `plan:${planId}`)?.text).toMatch(
        new RegExp(` in ${categories} of 1[0-9] categories of `),
      );
    }
  });

  it("a hold's release reads with the reason given; its placement's reason stays on the hold, not in the log", async () => {
    const admin = await b.user("ADMIN");
    const org = await b.org("PRO", "Reasoned");
    const hold = await placeHold(t.engine.db, {
      actor: admin,
      target: { scope: "ORG", orgId: org.id },
      reason: "Case 2026-114",
    });
    await releaseHold(t.engine.db, { actor: admin, holdId: hold.id, reason: "Case closed" });
    const { entries } = await listAudit(t.engine.db, { ...page, orgId: org.id });
    const sentences = entries.map((e) => describeAuditEntry(e));
    expect(sentences).toContainEqual(
      expect.stringMatching(/^released the legal hold on .*: "Case closed"$/),
    );
    expect(sentences).toContainEqual(expect.stringMatching(/^placed a legal hold on [^:"]*$/));
    expect(JSON.stringify(entries.map((e) => e.details))).not.toContain("2026-114");
  });

  it("filters by person (their tokens too), by action and by period; a token is named, not its owner's id", async () => {
    const owner = await b.user("ADMIN");
    const org = await b.org("FREE");
    await b.artifact(org.id, 40);
    const token = await createApiToken(t.engine.db, {
      actor: owner,
      via: "console",
      userId: owner.id,
      token: { name: "nightly-ci", scope: "PURGE" },
    });
    await purge(
      t.engine,
      { orgIds: [org.id], categories: ["ARTIFACTS"] },
      { id: owner.id, tokenId: token.id },
    );
    const mine = await listAudit(t.engine.db, { ...page, actor: `user:${owner.id}` });
    expect(actions(mine.entries)).toEqual(["purge.confirmed", "purge.previewed", "token.created"]);
    const byToken = mine.entries.filter((e) => e.action.startsWith("purge."));
    expect(byToken.map((e) => e.actorLabel)).toEqual([
      "API token nightly-ci (ADMIN tester)",
      "API token nightly-ci (ADMIN tester)",
    ]);
    const justToken = await listAudit(t.engine.db, { ...page, actor: `token:${token.id}` });
    expect(justToken.total).toBe(2);
    // An id past 32 bits names nobody: an empty page, not a database error.
    expect((await listAudit(t.engine.db, { ...page, actor: "user:99999999999" })).total).toBe(0);
    const previews = await listAudit(t.engine.db, {
      ...page,
      actor: `user:${owner.id}`,
      action: "purge.prev",
    });
    expect(previews.total).toBe(1);
    const at = mine.entries[0]?.at ?? new Date();
    const before = await listAudit(t.engine.db, {
      ...page,
      actor: `user:${owner.id}`,
      to: new Date(at.getTime() - 60_000),
    });
    expect(before.total).toBe(0);
  });
});
