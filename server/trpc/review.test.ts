import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { builders } from "@/test/builders";
import { createTestEngine, workToEnd, type TestEngine } from "@/test/engine";
import { confirmAcknowledged } from "@/test/purge";
import { allProcedures, callHttp } from "@/test/trpc-http";
import { previewPurge } from "../retention/plan/preview";

let t: TestEngine;
beforeAll(async () => {
  t = await createTestEngine();
});
afterAll(() => t.close());

const procedure = (path: string) => {
  const found = allProcedures().find((p) => p.path === path);
  if (!found) throw new Error(`no procedure ${path}`);
  return found;
};

describe("review over tRPC", () => {
  it("a VIEWER or an OPERATOR cannot list, approve or reject a paused task; an ADMIN approves it and its items go", async () => {
    const b = builders(t.engine.db, t.engine.store);
    const people = {} as Record<Role, SessionUser>;
    for (const role of ["VIEWER", "OPERATOR", "ADMIN"] as const) {
      const { id, email, name } = await b.user(role);
      people[role] = { id, email, name, role };
    }
    const org = await b.org("FREE");
    await b.org("FREE");
    for (let i = 0; i < 3; i++) await b.error(org.id, 40 + i);
    // A run whose only task the guard paused, as the daily run leaves it.
    const planId = await previewPurge(t.engine, {
      scope: { orgIds: [org.id], categories: ["ERRORS"] },
      trigger: "OPERATOR",
      actor: people.ADMIN,
    });
    const { runId } = await confirmAcknowledged(t.engine, planId, people.ADMIN);
    const task = await t.engine.db.purgeTask.update({
      where: { runId_orgId_category: { runId, orgId: org.id, category: "ERRORS" } },
      data: { status: "NEEDS_REVIEW", reviewReason: "VOLUME", baseline: 1, historyRuns: 3 },
    });
    expect((await workToEnd(t.engine, runId)).status).toBe("PARTIAL");

    for (const role of ["VIEWER", "OPERATOR"] as const) {
      const list = await callHttp(t.engine, people[role], procedure("review.paused"), undefined);
      expect(list.status).toBe(403);
      for (const path of ["review.approve", "review.reject"]) {
        const answer = await callHttp(t.engine, people[role], procedure(path), { taskId: task.id });
        expect([answer.status, answer.message]).toEqual([
          403,
          expect.stringContaining("needs the ADMIN role"),
        ]);
      }
    }
    expect(await t.engine.db.purgeTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject(
      { status: "NEEDS_REVIEW", reviewDecision: null },
    );
    expect(await t.engine.db.capturedError.count({ where: { orgId: org.id } })).toBe(3);

    const approved = await callHttp(t.engine, people.ADMIN, procedure("review.approve"), {
      taskId: task.id,
    });
    expect(approved.status).toBe(200);
    expect((await workToEnd(t.engine, runId)).status).toBe("SUCCEEDED");
    expect(await t.engine.db.capturedError.count({ where: { orgId: org.id } })).toBe(0);
  });
});
