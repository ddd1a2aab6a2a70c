import { createApiToken } from "../server/auth/api-tokens";
import type { SessionUser } from "../server/auth/roles";
import type { Role } from "../server/generated/prisma/enums";
import type { Engine } from "../server/retention/deps";
import { builders } from "./builders";
import { purge } from "./purge";

/** Records a sample input may point at: real ones (authorization) or made-up ones (bad input). */
export type SampleRefs = {
  orgId: number;
  otherOrgId: number;
  artifactId: number;
  incidentId: number;
  environmentId: number;
  planId: string;
  runId: string;
  holdId: number;
  pinId: number;
  requestId: number;
  /** A user other than the caller, and an API token of the admin caller. */
  userId: number;
  tokenId: number;
};

/** Ids that name no record. */
export const MISSING: SampleRefs = {
  orgId: 999_999,
  otherOrgId: 999_998,
  artifactId: 999_999,
  incidentId: 999_999,
  environmentId: 999_999,
  planId: "00000000-0000-4000-8000-000000000000",
  runId: "00000000-0000-4000-8000-000000000000",
  holdId: 999_999,
  pinId: 999_999,
  requestId: 999_999,
  userId: 999_999,
  tokenId: 999_999,
};

/**
 * A well-formed input for each procedure that takes one, naming the records
 * in `refs`. A procedure missing here is called with no input.
 */
export function sampleInputs(refs: SampleRefs): Record<string, unknown> {
  const { orgId, otherOrgId, artifactId, incidentId, planId, runId, holdId, requestId } = refs;
  const { userId, tokenId } = refs;
  return {
    "account.changePassword": {
      currentPassword: "the current password",
      newPassword: "a new password of mine",
    },
    "audit.list": { action: "purge", page: 1, pageSize: 20 },
    "deletions.forecast": { horizonDays: 30, categories: ["ARTIFACTS"] },
    "deletions.list": { horizonDays: 30, page: 1, pageSize: 20 },
    "deletions.items": { orgId, category: "ARTIFACTS", horizonDays: 30 },
    "deletions.explain": { category: "ARTIFACTS", itemId: artifactId },
    "environments.list": { search: "prod", page: 1, pageSize: 20 },
    "environments.get": { id: refs.environmentId },
    "erasure.members": { orgId: otherOrgId },
    "erasure.request": {
      scope: "ORGANIZATION",
      orgId: otherOrgId,
      reason: "data subject request",
    },
    "erasure.preview": { requestId },
    "erasure.approve": { requestId, planId },
    "erasure.reject": { requestId },
    "evidence.build": { from: "2026-11-01", to: "2026-11-30", orgId },
    "exports.list": { orgId },
    "exports.request": { orgId, categories: ["ERRORS"], withinDays: 7 },
    // No such export: an allowed caller is told so (404), a refused one never learns.
    "exports.link": { exportId: 2_000_000_000 },
    "holds.list": { active: true, orgId },
    "holds.place": { scope: "ORG", orgId: otherOrgId, reason: "litigation" },
    "holds.release": { holdId, reason: "the matter is closed" },
    "pins.list": { orgId },
    // Days after the engine's frozen clock (NOW), within the items' ceilings.
    "pins.place": {
      scope: "INCIDENT",
      incidentId,
      until: "2026-12-01",
      reason: "customer dispute",
    },
    "pins.change": { pinId: refs.pinId, until: "2026-12-05" },
    "pins.remove": { pinId: refs.pinId },
    "notices.settings": { orgId },
    "notices.save": {
      orgId: otherOrgId,
      webhookUrl: "https://hooks.example.com/lethe",
      recipients: ["ops@example.com"],
      leadDays: 7,
    },
    "notices.rotateSecret": { orgId: otherOrgId },
    "notices.log": { orgId },
    "incidents.list": { status: "OPEN", page: 1, pageSize: 20 },
    "incidents.get": { id: incidentId },
    "orgs.list": { search: "org", page: 1, pageSize: 20 },
    "orgs.history": { orgId, kinds: ["runs"], pageSize: 10 },
    "policies.bounds": { orgId },
    "policies.whatIf": { category: "ARTIFACTS", days: 40, orgId },
    "policies.setOverride": { orgId, category: "ARTIFACTS", days: 40, reason: "contract terms" },
    "policies.clearOverride": { orgId, category: "ARTIFACTS" },
    "purge.preview": { orgIds: [orgId], categories: ["ERRORS"] },
    "purge.plan": { planId, page: 1, pageSize: 20 },
    "purge.confirm": { planId },
    "purge.discard": { planId },
    "purge.planning": { planId },
    "purge.run": { runId },
    "purge.runs": { page: 1, pageSize: 20 },
    "purge.runDetail": { runId, page: 1, pageSize: 20 },
    // No task awaits review here: an allowed caller is told so (404), a refused one never learns.
    "review.approve": { taskId: 2_000_000_000 },
    "review.reject": { taskId: 2_000_000_000 },
    // The sample run purged errors, which have no restore window: an allowed caller is told nothing is restorable.
    "restore.window": { runId },
    "restore.restore": { runId },
    "storage.history": { days: 30 },
    "storage.freedByRun": { limit: 10 },
    "tokens.list": { everyone: true },
    "tokens.create": { name: "ci", scope: "READ", expiresInDays: 30 },
    "tokens.revoke": { tokenId },
    "users.create": { email: "new-person@example.com", name: "New Person", role: "VIEWER" },
    "users.setRole": { userId, role: "OPERATOR" },
    "users.disable": { userId },
    "users.enable": { userId },
    "users.resetPassword": { userId },
  };
}

/**
 * Real records for every sample input to name: a caller of each role, two
 * orgs with an artifact, an incident under a hold, a finished run, an open
 * preview, a pending erasure request, another person and an API token.
 */
export async function seedSamples(engine: Engine) {
  const b = builders(engine.db, engine.store);
  const asSession = ({ id, email, name, role }: SessionUser): SessionUser => ({
    id,
    email,
    name,
    role,
  });
  const users: Record<Role, SessionUser> = {
    VIEWER: asSession(await b.user("VIEWER")),
    OPERATOR: asSession(await b.user("OPERATOR")),
    ADMIN: asSession(await b.user("ADMIN")),
  };
  const otherAdmin = await b.user("ADMIN");
  const person = await b.user("VIEWER");
  const { id: tokenId } = await createApiToken(engine.db, {
    actor: "system",
    via: "cli",
    userId: users.ADMIN.id,
    token: { name: "admin's" },
  });
  const org = await b.org("FREE");
  const other = await b.org("BASIC");
  const artifact = await b.artifact(org.id, 40);
  const env = await b.env(other.id);
  await b.driftCheck(other.id, env.id, 1);
  const incident = await b.incident(other.id, env.id, "CLOSED", 10);
  const hold = await b.hold({ orgId: other.id, incidentId: incident.id });
  const pin = await engine.db.pin.create({
    data: {
      scope: "ARTIFACT",
      orgId: org.id,
      artifactId: artifact.id,
      pinnedUntil: new Date("2026-12-15T00:00:00Z"),
      reason: "customer dispute",
      placedById: users.ADMIN.id,
    },
  });
  await b.error(org.id, 40);
  const { run } = await purge(engine, { orgIds: [org.id], categories: ["ERRORS"] });
  const plan = await engine.db.purgePlan.create({
    data: {
      trigger: "OPERATOR",
      scope: { orgIds: [org.id], categories: ["ERRORS"] },
      asOf: new Date(),
      expiresAt: new Date(Date.now() + 3_600_000),
      manifestHash: "0",
      guardrails: { reasons: [], confirmPhrase: "DELETE" },
    },
  });
  const request = await engine.db.erasureRequest.create({
    data: {
      orgId: other.id,
      scope: "ORGANIZATION",
      reason: "subject request",
      requestedById: otherAdmin.id,
    },
  });
  const refs: SampleRefs = {
    orgId: org.id,
    otherOrgId: other.id,
    artifactId: artifact.id,
    incidentId: incident.id,
    environmentId: env.id,
    planId: plan.id,
    runId: run.id,
    holdId: hold.id,
    pinId: pin.id,
    requestId: request.id,
    userId: person.id,
    tokenId,
  };
  return { users, refs };
}
