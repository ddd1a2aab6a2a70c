import { describe, expect, it } from "vitest";
import { describeAuditEntry } from "./audit-sentence";

type Entry = Parameters<typeof describeAuditEntry>[0];

const entry = (action: string, details: object, extra: Partial<Entry> = {}): Entry => ({
  id: "1",
  at: new Date("2026-11-22T12:00:00Z"),
  actor: "user:1",
  actorId: 1,
  actorLabel: "Ada Admin",
  action,
  orgId: null,
  orgName: null,
  target: null,
  details,
  outcome: null,
  prevHash: "",
  hash: "",
  ...extra,
});

const outcome = {
  orgs: 1,
  orgName: "Acme",
  categories: 3,
  eligible: 2377n,
  deleted: 2358n,
  archived: 7n,
  skipped: 12n,
  failed: 0n,
  bytesFreed: 0n,
};

describe("the audit log's counts as sentences", () => {
  it("a run's end says what it deleted and archived, where, and what it skipped", () => {
    expect(describeAuditEntry(entry("purge.finished", {}, { outcome }))).toBe(
      "deleted 2,358 items and archived 7 in 3 categories for Acme; skipped 12",
    );
    expect(
      describeAuditEntry(
        entry("purge.finished", {}, { outcome: { ...outcome, orgs: 10000, orgName: null } }),
      ),
    ).toBe("deleted 2,358 items and archived 7 in 3 categories across 10,000 orgs; skipped 12");
    expect(describeAuditEntry(entry("purge.confirmed", {}, { outcome }))).toBe(
      "started a purge of 2,377 items in 3 categories for Acme",
    );
  });

  it("holds, overrides and erasures read as what changed; other entries keep their details", () => {
    expect(describeAuditEntry(entry("hold.placed", { scope: "INCIDENT", incidentId: 18 }))).toBe(
      "placed a legal hold on incident #18",
    );
    expect(
      describeAuditEntry(
        entry("policy.override.set", { category: "ARTIFACTS", from: "plan", to: 90 }),
      ),
    ).toBe("set artifacts to 90 days (was the plan's default)");
    expect(
      describeAuditEntry(
        entry("erasure.executed", { scope: "MEMBER", memberId: 7, erased: "1200", skipped: 0 }),
      ),
    ).toBe("erased 1,200 artifacts of member #7");
    expect(
      describeAuditEntry(
        entry("erasure.executed", { scope: "ORGANIZATION", erased: 3, skipped: 0, keptByHold: 1 }),
      ),
    ).toBe("erased 3 artifacts of the organization; 1 kept by a legal hold");
    expect(
      describeAuditEntry(
        entry(
          "pin.ended",
          { scope: "ARTIFACT", artifactId: 1802, until: "2027-01-31", erasure: 9, run: "r" },
          { actor: "system", actorId: null, actorLabel: "system" },
        ),
      ),
    ).toBe("ended the pin on artifact #1802 (it ran until 2027-01-31): GDPR erasure #9 erased it");
    expect(describeAuditEntry(entry("some.future_action", { n: 1 }))).toBeNull();
    // A field its sentence needs is missing: the details are shown as they are.
    expect(describeAuditEntry(entry("token.created", { scope: "READ" }))).toBeNull();
  });

  it("a discarded preview says how many items it held; a dry run cancelled while planning says so", () => {
    expect(describeAuditEntry(entry("purge.discarded", { trigger: "OPERATOR", items: "3" }))).toBe(
      "discarded a preview of 3 items",
    );
    expect(
      describeAuditEntry(
        entry("purge.discarded", { trigger: "OPERATOR", items: "0", planning: true }),
      ),
    ).toBe("cancelled a dry run before it finished planning");
  });

  it("a restore says how much came back, of what", () => {
    const scope = "org 12 × ARTIFACTS of run 3f2";
    expect(describeAuditEntry(entry("purge.restored", { items: 43, bytes: "2048", scope }))).toBe(
      "restored 43 items (2.0 KB) of org 12 × ARTIFACTS of run 3f2, back as they were before the purge",
    );
  });

  it("accounts, tokens, exports, notices, evidence and the cleanup read as what happened", () => {
    const say = (action: string, details: object) => describeAuditEntry(entry(action, details));
    expect(
      say("token.created", { userId: 4, scope: "READ", expiresInDays: 90, via: "console" }),
    ).toBe("created a READ API token for user #4, valid 90 days");
    expect(say("user.created", { role: "OPERATOR", oneTimePassword: true, via: "console" })).toBe(
      "created an OPERATOR account with a one-time password",
    );
    expect(say("user.created", { role: "VIEWER", via: "cli" })).toBe(
      "created a VIEWER account (from the command line)",
    );
    expect(say("user.role_changed", { from: "VIEWER", to: "ADMIN", via: "cli" })).toBe(
      "changed the role from VIEWER to ADMIN (from the command line)",
    );
    expect(
      say("purge.previews_cleaned", { expired: 2, plans: 3, items: 1200, entries: 40, steps: 6 }),
    ).toBe(
      "removed the manifests of 3 expired or discarded previews (1,200 items, 40 entries); 2 expired now",
    );
    expect(say("evidence.requested", { from: "2026-11-01", to: "2026-11-30", orgId: null })).toBe(
      "requested an evidence pack of 2026-11-01 to 2026-11-30, the whole fleet",
    );
    expect(say("evidence.built", { sha256: "ab".repeat(32), items: "1500", mismatches: 0 })).toBe(
      "built the evidence pack: 1,500 items; its reconciliation agrees (SHA-256 abababababab…)",
    );
    expect(
      say("export.built", {
        bytes: "2048",
        counts: {
          ARTIFACTS: { rows: 3, objects: 2, objectBytes: "900", missingObjects: 0 },
          INCIDENT_PAYLOADS: { rows: 1, objects: 0, objectBytes: "0", missingObjects: 0 },
        },
      }),
    ).toBe("built the export: 4 rows and 2 files (2.0 KB)");
    expect(
      say("purge.review.rejected", {
        category: "ARTIFACTS",
        count: 2400,
        baseline: 800,
        reason: "VOLUME",
      }),
    ).toBe(
      "rejected what the guard paused, artifacts: 2,400 items against a baseline of 800: this run keeps it",
    );
  });
});
