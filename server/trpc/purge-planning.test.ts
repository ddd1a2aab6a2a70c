import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/auth/roles";
import { requestPreview } from "@/server/retention/plan/preview";
import { appRouter } from "@/server/trpc/root";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { useRouteEnvironment } from "@/test/route-env";
import { callHttp, procedureAt } from "@/test/trpc-http";

/**
 * The console's dry run of more than one org, planned in the background:
 * the preview answers at once, every poll of its progress keeps it going,
 * and who may cancel it.
 */
let t: TestEngine;
let people: Record<"owner" | "colleague" | "admin" | "viewer", SessionUser>;
let eligible: number;
beforeAll(async () => {
  t = await createTestEngine();
  await useRouteEnvironment(t.database);
  const b = builders(t.engine.db, t.engine.store);
  const session = async (role: SessionUser["role"]) => {
    const { id, email, name } = await b.user(role);
    return { id, email, name, role };
  };
  people = {
    owner: await session("OPERATOR"),
    colleague: await session("OPERATOR"),
    admin: await session("ADMIN"),
    viewer: await session("VIEWER"),
  };
  for (const plan of ["FREE", "PRO"] as const) {
    const org = await b.org(plan);
    await b.error(org.id, 40); // past the 30-day window of resolved errors
    await b.error(org.id, 40);
    await b.error(org.id, 5);
  }
  eligible = 4;
});
afterAll(() => t.close());

/** A caller as `user` that keeps what the request would do after its response. */
function as(user: SessionUser) {
  const after: (() => Promise<unknown>)[] = [];
  const caller = appRouter.createCaller({
    db: t.engine.db,
    engine: async () => t.engine,
    user,
    afterResponse: (work) => after.push(work),
  });
  /** The request's work after its response, as Next runs it once the answer is sent. */
  const finish = async () => {
    for (const work of after.splice(0)) await work();
  };
  return { caller, after, finish };
}

const fleetDryRun = async (user: SessionUser) =>
  (await as(user).caller.purge.preview({ orgIds: null, categories: ["ERRORS"] })).planId;

const left = async (planId: string) => ({
  items: await t.engine.db.planItem.count({ where: { planId } }),
  entries: await t.engine.db.planEntry.count({ where: { planId } }),
  steps: await t.engine.db.planStep.count({ where: { planId } }),
});

describe("a dry run of every org, from the console", () => {
  it("answers at once with its plan still planning; each poll keeps it going until it is the preview", async () => {
    const owner = as(people.owner);
    const answer = await owner.caller.purge.preview({ orgIds: null, categories: ["ERRORS"] });
    expect(answer.planning).toBe(true);
    expect(await left(answer.planId)).toMatchObject({ items: 0, entries: 0 });
    // Its page and the owner's open previews show it planning (polling those keeps it going too).
    const page = await as(people.viewer).caller.purge.plan({
      planId: answer.planId,
      page: 1,
      pageSize: 20,
    });
    expect(page).toMatchObject({ status: "PLANNING", cancelled: false, entries: [] });
    const list = as(people.owner);
    const open = await list.caller.purge.openPreviews();
    expect(open.find((p) => p.id === answer.planId)?.progress).toMatchObject({ stepsDone: 0 });
    expect(list.after).toHaveLength(1);
    const poll = as(people.viewer);
    const first = await poll.caller.purge.planning({ planId: answer.planId });
    expect(first).toMatchObject({ status: "PLANNING", stepsDone: 0, orgCount: 2 });
    expect(first.stepsTotal).toBeGreaterThan(0);
    expect(poll.after).toHaveLength(1);

    // The preview's own request was cut short: the poll's work carries the plan to its end.
    await poll.finish();
    const done = await poll.caller.purge.planning({ planId: answer.planId });
    expect(done).toMatchObject({ status: "PREVIEWED", items: BigInt(eligible), etaSeconds: null });
    expect(poll.after).toHaveLength(0);
    const plan = await poll.caller.purge.plan({ planId: answer.planId, page: 1, pageSize: 20 });
    expect(plan).toMatchObject({
      status: "PREVIEWED",
      itemCount: BigInt(eligible),
      cancelled: false,
    });
    expect(plan.entries.map((e) => e.itemCount).sort()).toEqual([2, 2]);
  });

  it("a one-org dry run is still planned within its request", async () => {
    const [org] = await t.engine.db.organization.findMany({ take: 1, orderBy: { id: "asc" } });
    const answer = await as(people.owner).caller.purge.preview({
      orgIds: [org?.id ?? 0],
      categories: ["ERRORS"],
    });
    expect(answer.planning).toBe(false);
    expect(await left(answer.planId)).toMatchObject({ items: 2, entries: 1 });
  });
});

describe("cancelling a dry run being planned", () => {
  it("is for the operator who asked for it, or an admin; anyone else's call changes nothing", async () => {
    const planId = await fleetDryRun(people.owner);
    const cancel = (user: SessionUser) =>
      callHttp(t.engine, user, procedureAt("purge.discard"), { planId });
    expect((await cancel(people.viewer)).status).toBe(403);
    const colleague = await cancel(people.colleague);
    expect([colleague.status, colleague.message]).toEqual([
      404,
      expect.stringMatching(/is not one of yours/),
    ]);
    expect((await as(people.viewer).caller.purge.planning({ planId })).status).toBe("PLANNING");

    expect((await cancel(people.admin)).status).toBe(200);
    const plan = await as(people.viewer).caller.purge.plan({ planId, page: 1, pageSize: 20 });
    expect(plan).toMatchObject({ status: "DISCARDED", cancelled: true, entries: [] });
    expect(await left(planId)).toEqual({ items: 0, entries: 0, steps: 0 });
    // A cancelled one cannot be cancelled again, nor confirmed.
    expect((await cancel(people.admin)).status).toBe(409);
    const confirm = await callHttp(t.engine, people.owner, procedureAt("purge.confirm"), {
      planId,
    });
    expect(confirm.status).toBeGreaterThanOrEqual(400);
  });

  it("the owner's cancel leaves nothing, and a later poll works nothing for it", async () => {
    const planId = await fleetDryRun(people.owner);
    expect(
      (await callHttp(t.engine, people.owner, procedureAt("purge.discard"), { planId })).status,
    ).toBe(200);
    const poll = as(people.owner);
    expect((await poll.caller.purge.planning({ planId })).status).toBe("DISCARDED");
    expect(poll.after).toHaveLength(0);
    expect(await left(planId)).toEqual({ items: 0, entries: 0, steps: 0 });
  });

  it("the daily schedule's dry run is nobody's to cancel, an admin's neither", async () => {
    const { planId } = await requestPreview(t.engine, {
      scope: { orgIds: null, categories: ["ERRORS"] },
      trigger: "CRON",
      actor: "system",
    });
    const answer = await callHttp(t.engine, people.admin, procedureAt("purge.discard"), { planId });
    expect(answer.status).toBe(404);
    expect((await as(people.admin).caller.purge.planning({ planId })).status).toBe("PLANNING");
  });

  it("a hostile or unknown id is refused before it reaches anything, naming the field", async () => {
    const hostile = ["not-a-uuid", "'; DROP TABLE purge_plans; --", "0".repeat(36), ""];
    for (const planId of hostile) {
      for (const path of ["purge.discard", "purge.planning"]) {
        const answer = await callHttp(t.engine, people.admin, procedureAt(path), { planId });
        expect([answer.status, answer.message], `${path} ${planId}`).toEqual([
          400,
          expect.stringMatching(/planId: must be a preview id/),
        ]);
      }
    }
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const path of ["purge.discard", "purge.planning"]) {
      const answer = await callHttp(t.engine, people.admin, procedureAt(path), { planId: unknown });
      expect([answer.status, answer.message], path).toEqual([
        404,
        expect.stringMatching(/No preview/),
      ]);
    }
  });
});
