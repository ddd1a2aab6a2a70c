import { expect } from "vitest";
import {
  approveErasure,
  previewErasure,
  requestErasure,
} from "../server/retention/erasure/requests";
import type { Engine } from "../server/retention/deps";
import type { ObjectStore } from "../server/storage";
import { builders } from "./builders";
import { workToEnd, type TestEngine } from "./engine";
import { testS3Store } from "./storage";

/** Two admins (one requests, the other decides) and the erasure steps the tests repeat. */
export async function erasureWorld(t: TestEngine) {
  const b = builders(t.engine.db, t.engine.store);
  const requester = await b.user("ADMIN");
  const approver = await b.user("ADMIN");
  const requestRow = (id: number) =>
    t.engine.db.erasureRequest.findUniqueOrThrow({ where: { id } });
  return {
    b,
    requester,
    approver,
    /** An org whose artifacts no window would ever purge: young ones, on a plan that keeps them forever. */
    async enterpriseOrg() {
      const org = await b.org("ENTERPRISE");
      const artifacts = [await b.artifact(org.id, 1), await b.artifact(org.id, 400)];
      return { org, artifacts };
    },
    request: (orgId: number, memberId?: number) =>
      requestErasure(t.engine.db, {
        actor: requester,
        orgId,
        scope: memberId === undefined ? { kind: "ORGANIZATION" } : { kind: "MEMBER", memberId },
        reason: "DSR-2026-0117",
      }),
    artifactsLeft: (orgId: number) => t.engine.db.artifact.count({ where: { orgId } }),
    requestRow,
    /** The second admin previews and approves the request (again, after an incomplete run); its run erases `erased` and executes it. */
    async erase(engine: Engine, requestId: number, erased: bigint) {
      const planId = await previewErasure(engine, { actor: approver, requestId });
      const { runId } = await approveErasure(engine, { actor: approver, requestId, planId });
      const run = await workToEnd(engine, runId);
      expect([run.status, run.deleted]).toEqual(["SUCCEEDED", erased]);
      expect(await requestRow(requestId)).toMatchObject({
        status: "EXECUTED",
        runId,
        incompleteReason: null,
      });
    },
  };
}

/** The test S3 store, refusing to delete these objects as S3 answering AccessDenied, or unreachable ("all"). */
export function refusingToDelete(refused: Set<string> | "all"): ObjectStore {
  const store = testS3Store();
  const isRefused = (key: string) => refused !== "all" && refused.has(key);
  return {
    kind: store.kind,
    put: (key, body) => store.put(key, body),
    head: (key) => store.head(key),
    upload: (key, file) => store.upload(key, file),
    write: (key, body) => store.write(key, body),
    downloadUrl: (key, seconds, fileName) => store.downloadUrl(key, seconds, fileName),
    read: (key) => store.read(key),
    list: (prefix, options) => store.list(prefix, options),
    async deleteMany(keys) {
      if (refused === "all") throw new Error("S3 is unreachable");
      const outcome = await store.deleteMany(keys.filter((k) => !isRefused(k)));
      const failed = keys.filter(isRefused).map((key) => ({ key, reason: "AccessDenied" }));
      return { ...outcome, failed: [...outcome.failed, ...failed] };
    },
  };
}
