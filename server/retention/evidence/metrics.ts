import { Counter, Gauge, Registry } from "prom-client";
import type { Db } from "../../db";
import { latestAuditAnchor } from "./audit-anchors";
import { dailyPlanning } from "./health";
import { countAwaitingReview } from "../guard/review";

/**
 * Prometheus text read from the database at scrape time: purge totals live
 * in Postgres, so every instance (and every cold start) reports the same
 * monotonic counters. No content, only ids' counts and bytes.
 */
export async function renderMetrics(db: Db): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const deletes = new Counter({
    name: "retention_deletes_total",
    help: "Items purged (deleted, payload purged or archived)",
    labelNames: ["plan", "category"],
    registers: [registry],
  });
  const freed = new Counter({
    name: "retention_bytes_freed_total",
    help: "Bytes freed by purges",
    labelNames: ["plan", "category"],
    registers: [registry],
  });
  const seconds = new Gauge({
    name: "retention_cleanup_seconds",
    help: "Duration of the latest finished purge run",
    labelNames: ["trigger"],
    registers: [registry],
  });
  const anchorEntries = new Gauge({
    name: "retention_audit_anchor_entries",
    help: "Entries of the audit log when the latest daily run anchored its chain; it never goes down",
    registers: [registry],
  });
  const anchorHead = new Gauge({
    name: "retention_audit_anchor_info",
    help: "The latest anchor of the audit chain: its head hash and the run that wrote it at its end",
    labelNames: ["head_hash", "run_id"],
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: "retention_last_success_timestamp_seconds",
    help: "When the daily purge last succeeded (unix seconds)",
    registers: [registry],
  });
  const needingReview = new Gauge({
    name: "retention_tasks_needing_review",
    help: "Daily run tasks the guard paused that await an admin's review",
    registers: [registry],
  });

  const failedItems = new Counter({
    name: "retention_items_failed_total",
    help: "Items purge runs failed to delete (left for a later run), by what started the run",
    labelNames: ["trigger"],
    registers: [registry],
  });
  const deliveries = new Gauge({
    name: "retention_notice_deliveries",
    help: "Notice deliveries by status: PENDING ones wait to be sent or retried; FAILED ones reached no one, and hold their org's items while its plan promises a notice period",
    labelNames: ["status"],
    registers: [registry],
  });

  const planningSteps = new Gauge({
    name: "retention_daily_planning_steps",
    help: "The daily run's plan while it is planned: its planning steps done and in all (0 when none is being planned)",
    labelNames: ["state"],
    registers: [registry],
  });

  for (const t of await db.purgeTotal.findMany()) {
    deletes.inc({ plan: t.plan, category: t.category }, Number(t.deleted));
    freed.inc({ plan: t.plan, category: t.category }, Number(t.bytesFreed));
  }
  for (const trigger of ["CRON", "OPERATOR", "API", "ERASURE"] as const) {
    const run = await db.purgeRun.findFirst({
      where: { trigger, finishedAt: { not: null } },
      orderBy: { finishedAt: "desc" },
    });
    if (run?.finishedAt)
      seconds.set({ trigger }, (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000);
  }
  for (const r of await db.purgeRun.groupBy({ by: ["trigger"], _sum: { failed: true } }))
    failedItems.inc({ trigger: r.trigger }, Number(r._sum.failed ?? 0));
  for (const status of ["PENDING", "FAILED"] as const)
    deliveries.set({ status }, await db.noticeDelivery.count({ where: { status } }));
  const success = await db.purgeRun.findFirst({
    where: { trigger: "CRON", status: "SUCCEEDED" },
    orderBy: { finishedAt: "desc" },
  });
  lastSuccess.set(success?.finishedAt ? success.finishedAt.getTime() / 1000 : 0);
  const planning = await dailyPlanning(db);
  planningSteps.set({ state: "done" }, planning?.stepsDone ?? 0);
  planningSteps.set({ state: "total" }, planning?.stepsTotal ?? 0);
  needingReview.set(await countAwaitingReview(db));
  const anchor = await latestAuditAnchor(db);
  anchorEntries.set(anchor ? Number(anchor.entries) : 0);
  if (anchor) anchorHead.set({ head_hash: anchor.headHash, run_id: anchor.runId }, 1);
  return { contentType: registry.contentType, body: await registry.metrics() };
}
