import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHOOSE_PASSWORD_FIRST, type SessionUser } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { useRouteEnvironment } from "@/test/route-env";
import { allProcedures, callHttp } from "@/test/trpc-http";
import { sampleInputs, seedSamples, type SampleRefs } from "@/test/trpc-samples";

/**
 * Who may call what, as PRODUCT.md's roles say: VIEWER reads; OPERATOR
 * previews and purges within policy; ADMIN governs policies, overrides,
 * holds, GDPR erasure and approvals, and accounts; every user manages
 * their own password and API tokens. Written out by hand, apart from each
 * procedure's meta, so that a procedure without a line here fails the test.
 */
const EXPECTED_ROLE: Record<string, Role> = {
  // Reading: dashboards, forecasts, the audit log, runs, incidents, policies.
  "audit.list": "VIEWER",
  "audit.actors": "VIEWER", // the people the log's filter names, as holds and runs name them
  "audit.verify": "VIEWER", // recomputes the hash chain; changes nothing
  "deletions.forecast": "VIEWER",
  "deletions.list": "VIEWER",
  "deletions.items": "VIEWER",
  "deletions.explain": "VIEWER",
  "environments.list": "VIEWER",
  "environments.get": "VIEWER",
  "holds.list": "VIEWER",
  "pins.list": "VIEWER",
  "notices.settings": "VIEWER", // the webhook URL whole to an admin only (its token)
  "notices.log": "VIEWER",
  "incidents.list": "VIEWER",
  "incidents.get": "VIEWER",
  "orgs.list": "VIEWER",
  "orgs.history": "VIEWER", // what the audit log and the runs already show a VIEWER, by org
  "overview.storage": "VIEWER",
  "overview.status": "VIEWER",
  "policies.table": "VIEWER",
  "policies.overrides": "VIEWER",
  "policies.bounds": "VIEWER",
  "policies.whatIf": "VIEWER", // a simulation; saving it is setOverride
  "purge.plan": "VIEWER",
  "purge.planning": "VIEWER", // a preview's progress, as its page shows it to a VIEWER
  "purge.run": "VIEWER",
  "purge.runs": "VIEWER",
  "purge.runDetail": "VIEWER",
  "storage.history": "VIEWER",
  "storage.freedByRun": "VIEWER",
  "storage.projection": "VIEWER",
  "storage.awaitingDeletion": "VIEWER", // bytes in their restore window, beside the stored bytes
  // One's own account and API tokens (an admin also sees and revokes everyone's tokens).
  "account.changePassword": "VIEWER", // the one procedure a one-time password may call
  "tokens.list": "VIEWER",
  "tokens.create": "VIEWER", // a PURGE token only for an ADMIN: the domain checks the scope
  "tokens.revoke": "VIEWER", // one's own; anyone's for an ADMIN
  // Preview and purge within policy.
  "purge.preview": "OPERATOR",
  "purge.confirm": "OPERATOR",
  "purge.openPreviews": "OPERATOR", // one's own previews, to discard: part of previewing
  "purge.discard": "OPERATOR",
  // Governing: overrides, legal holds, GDPR erasure and its approvals.
  "policies.setOverride": "ADMIN",
  "policies.clearOverride": "ADMIN",
  "holds.place": "ADMIN",
  "holds.release": "ADMIN",
  "pins.place": "ADMIN", // a light hold: as holds, an admin's
  "pins.change": "ADMIN",
  "pins.remove": "ADMIN",
  "notices.save": "ADMIN", // a tenant's endpoint and its signing secret
  "notices.rotateSecret": "ADMIN",
  // The guard's review of a daily run's paused tasks.
  "review.paused": "ADMIN",
  "review.approve": "ADMIN",
  "review.reject": "ADMIN",
  // The restore window: anyone reads what a run left restorable; only an admin brings it back.
  "restore.window": "VIEWER",
  "restore.restore": "ADMIN",
  // Evidence packs: the deletion population of a period, for an auditor.
  "evidence.packs": "ADMIN",
  "evidence.build": "ADMIN",
  "evidence.signingKey": "ADMIN", // beside the pack's download, which is an admin's
  // An export holds the org's data itself: requesting, listing and its link are an ADMIN's.
  "exports.categories": "ADMIN",
  "exports.list": "ADMIN",
  "exports.request": "ADMIN",
  "exports.link": "ADMIN",
  "erasure.list": "ADMIN",
  "erasure.members": "ADMIN", // who an erasure can name: part of the erasure workflow
  "erasure.request": "ADMIN",
  "erasure.preview": "ADMIN",
  "erasure.approve": "ADMIN",
  "erasure.reject": "ADMIN",
  // Accounts: who may sign in, and with which role.
  "users.list": "ADMIN",
  "users.create": "ADMIN",
  "users.setRole": "ADMIN",
  "users.disable": "ADMIN",
  "users.enable": "ADMIN",
  "users.resetPassword": "ADMIN",
};
const RANK: Record<Role, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3 };

let t: TestEngine;
let users: Record<Role, SessionUser>;
let refs: SampleRefs;
beforeAll(async () => {
  t = await createTestEngine();
  // Changing a password counts failures in the app's sign-in throttle, on this database.
  await useRouteEnvironment(t.database);
  ({ users, refs } = await seedSamples(t.engine));
});
afterAll(() => t.close());

describe("authorization matrix: every tRPC procedure × anonymous / viewer / operator / admin / admin with a one-time password", () => {
  it("every procedure has an expected role from PRODUCT.md, and declares exactly that role", () => {
    const declared = Object.fromEntries(allProcedures().map((p) => [p.path, p.role]));
    const unlisted = Object.keys(declared).filter((path) => !(path in EXPECTED_ROLE));
    expect(unlisted, "procedures with no expected role in this table: add them").toEqual([]);
    const gone = Object.keys(EXPECTED_ROLE).filter((path) => !(path in declared));
    expect(gone, "expected roles of procedures that no longer exist").toEqual([]);
    expect(declared).toEqual(EXPECTED_ROLE);
  });

  it("each caller is allowed or refused exactly as its role says", async () => {
    const samples = sampleInputs(refs);
    const tally = { calls: 0, allowed: 0, ok: 0, unauthorized: 0, forbidden: 0 };
    const principals: [string, SessionUser | null][] = [
      ["anonymous", null],
      ...(Object.entries(users) as [Role, SessionUser][]),
      ["ADMIN with a one-time password", { ...users.ADMIN, mustChangePassword: true }],
    ];
    for (const procedure of allProcedures()) {
      const needed = EXPECTED_ROLE[procedure.path] ?? "ADMIN";
      for (const [name, user] of principals) {
        tally.calls++;
        const answer = await callHttp(t.engine, user, procedure, samples[procedure.path]);
        const where = `${procedure.path} as ${name}`;
        if (!user) {
          tally.unauthorized++;
          expect([answer.status, answer.message], where).toEqual([401, "Sign in to continue."]);
        } else if (user.mustChangePassword && procedure.path !== "account.changePassword") {
          tally.forbidden++;
          expect([answer.status, answer.message], where).toEqual([403, CHOOSE_PASSWORD_FIRST]);
        } else if (RANK[user.role] < RANK[needed]) {
          tally.forbidden++;
          expect(answer.status, where).toBe(403);
          expect(answer.message, where).toContain(`needs the ${needed} role`);
        } else {
          tally.allowed++;
          if (answer.status === 200) tally.ok++;
          expect(answer.status, `${where}: ${answer.message}`).not.toBeOneOf([401, 403]);
          expect(answer.status, `${where}: ${answer.message}`).toBeLessThan(500);
        }
      }
    }
    console.log(
      `authorization matrix (tRPC): ${allProcedures().length} procedures × ${principals.length} callers = ` +
        `${tally.calls} calls: ${tally.allowed} allowed (${tally.ok} answered 200, the rest a 4xx about ` +
        `the input), ${tally.unauthorized} refused 401, ${tally.forbidden} refused 403`,
    );
    // Most allowed calls must really succeed, or "allowed" would prove little.
    expect(tally.ok / tally.allowed).toBeGreaterThan(0.8);
  });
});
