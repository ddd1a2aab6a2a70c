import { randomUUID } from "node:crypto";
import type { RetentionCategory } from "../../generated/prisma/enums";
import type { RowCategory } from "../categories/category";
import type { Engine } from "../deps";
import { backupKeep } from "../policy/effective-window";
import { loadOverrides, windowsFor, windowsRelation, type OrgWindow } from "../policy/org-windows";
import { sql } from "../sql";
import { orgsToTell, type Listener } from "./listeners";
import { requestNoticeExport } from "./notice-export";
import { noticePeriodOn } from "./period";
import { noticeCategories } from "./told-categories";

/**
 * A notice whose every delivery FAILED reached nobody: its items are told
 * again by the next notice, so its watermark does not count.
 */
const reached = sql`EXISTS (SELECT 1 FROM notice_deliveries d
  WHERE d.notice_id = nc.notice_id AND d.status <> 'FAILED')`;

/** What one notice tells of one category: the items aged in [from, to). */
export type Told = {
  category: RetentionCategory;
  items: bigint;
  bytes: bigint;
  firstDue: Date;
  from: Date | null;
  to: Date;
};

/**
 * Each org's watermark for this category: its cutoff at now + lead days
 * (what is eligible then), never past now (nothing younger exists yet, and
 * what ages later is told later).
 */
function windowsAhead(
  engine: Engine,
  category: RowCategory,
  orgs: Listener[],
  overrides: Awaited<ReturnType<typeof loadOverrides>>,
  now: Date,
): OrgWindow[] {
  const leads = [...new Set(orgs.map((o) => o.leadDays))];
  return leads.flatMap((lead) =>
    windowsFor(
      category,
      orgs.filter((o) => o.leadDays === lead),
      engine.settings.policy,
      overrides,
      now,
      lead,
    ).map((w) => ({ ...w, cutoff: new Date(Math.min(w.cutoff.getTime(), now.getTime())) })),
  );
}

/**
 * What falls due within each org's lead time that it was not told of: per
 * org and category, the eligible items (the category's own rule, at the
 * cutoff of now + lead days) aged at or after its watermark, set-based.
 */
async function untold(engine: Engine, orgs: Listener[], now: Date) {
  const overrides = await loadOverrides(
    engine.db,
    orgs.map((o) => o.id),
  );
  const byOrg = new Map<number, Told[]>();
  for (const category of noticeCategories()) {
    const windows = windowsAhead(engine, category, orgs, overrides, now);
    if (windows.length === 0) continue;
    const orgIds = windows.map((w) => w.orgId);
    const rows = await engine.db.$queryRaw<
      { org_id: number; items: bigint; bytes: bigint; first_due: Date; from: Date | null }[]
    >(sql`
      WITH windows AS NOT MATERIALIZED ${windowsRelation(windows)},
      told AS (
        SELECT nc.org_id, max(nc.watermark_to) AS watermark
        FROM notice_categories nc
        WHERE nc.category = ${category.key}::"RetentionCategory" AND nc.org_id = ANY(${orgIds}::int[])
          AND ${reached}
        GROUP BY nc.org_id)
      SELECT e.org_id, count(*)::bigint AS items, coalesce(sum(e.bytes), 0)::bigint AS bytes,
             greatest(min(e.aged_at + make_interval(days => w.days)), ${now}::timestamptz) AS first_due,
             t.watermark AS "from"
      FROM (${category.eligible({ windows: sql`windows`, keepNewest: backupKeep(engine.settings.policy) })}) e
      JOIN windows w ON w.org_id = e.org_id
      LEFT JOIN told t ON t.org_id = e.org_id
      WHERE e.aged_at >= coalesce(t.watermark, '-infinity'::timestamptz)
      GROUP BY e.org_id, t.watermark`);
    const to = new Map(windows.map((w) => [w.orgId, w.cutoff]));
    for (const r of rows) {
      const list = byOrg.get(r.org_id) ?? [];
      list.push({
        category: category.key,
        items: r.items,
        bytes: r.bytes,
        firstDue: r.first_due,
        from: r.from,
        to: to.get(r.org_id) ?? now,
      });
      byOrg.set(r.org_id, list);
    }
  }
  return byOrg;
}

/**
 * Writes one org's notice, what it tells per category (its watermarks) and
 * a delivery per channel, in one transaction: a crash leaves all or none.
 * Null when another delivery told the org meanwhile (its day's notice
 * exists, or a watermark moved since `told` was counted).
 */
async function writeNotice(engine: Engine, org: Listener, day: string, told: Told[]) {
  return engine.db.$transaction(async (tx) => {
    await tx.$executeRaw(sql`SELECT pg_advisory_xact_lock(hashtext(${`notice:${org.id}`}))`);
    const marks = await tx.$queryRaw<{ category: RetentionCategory; watermark: Date }[]>(sql`
      SELECT nc.category, max(nc.watermark_to) AS watermark FROM notice_categories nc
      WHERE nc.org_id = ${org.id} AND ${reached} GROUP BY nc.category`);
    const moved = told.some(
      (t) =>
        (marks.find((m) => m.category === t.category)?.watermark.getTime() ?? null) !==
        (t.from?.getTime() ?? null),
    );
    const today = await tx.notice.findUnique({
      where: { orgId_day: { orgId: org.id, day: new Date(`${day}T00:00:00Z`) } },
      select: { id: true },
    });
    if (moved || today) return null;
    const id = randomUUID();
    const firstDue = new Date(Math.min(...told.map((t) => t.firstDue.getTime())));
    const channels = [
      ...(org.webhook ? (["WEBHOOK"] as const) : []),
      ...(org.email ? (["EMAIL"] as const) : []),
    ];
    const notice = await tx.notice.create({
      data: {
        id,
        orgId: org.id,
        day: new Date(`${day}T00:00:00Z`),
        createdAt: engine.now(),
        leadDays: org.leadDays,
        firstDueDate: firstDue,
        noticePeriod: noticePeriodOn(engine.settings.policy, org.plan),
        categories: {
          create: told.map((t) => ({
            orgId: org.id,
            category: t.category,
            items: t.items,
            bytes: t.bytes,
            firstDueDate: t.firstDue,
            watermarkFrom: t.from,
            watermarkTo: t.to,
          })),
        },
        deliveries: { create: channels.map((channel) => ({ id: randomUUID(), channel })) },
      },
      include: { deliveries: { select: { id: true } } },
    });
    return { noticeId: id, deliveries: notice.deliveries.map((d) => d.id) };
  });
}

/** Orgs looked at per round: one set-based query per category for all of them. */
const ORGS_PER_ROUND = 200;

export type NoticeReport = { notices: number; deliveries: number; orgsLooked: number };

/**
 * The day's notices: each org with notice settings, not yet told today,
 * that has untold items falling due within its lead time gets one notice,
 * its deliveries queued and its export requested. In rounds of orgs until `deadline`; a later
 * delivery of the day goes on with the orgs not told yet (resumable: what
 * was written is never written again).
 */
export async function composeNotices(
  engine: Engine,
  day: string,
  deadline: number,
): Promise<NoticeReport> {
  const report: NoticeReport = { notices: 0, deliveries: 0, orgsLooked: 0 };
  let after = 0;
  while (Date.now() < deadline) {
    const orgs = await orgsToTell(engine.db, day, after, ORGS_PER_ROUND);
    if (orgs.length === 0) break;
    after = orgs[orgs.length - 1]?.id ?? after;
    report.orgsLooked += orgs.length;
    const due = await untold(engine, orgs, engine.now());
    for (const org of orgs) {
      const told = due.get(org.id);
      if (!told || told.length === 0) continue;
      const written = await writeNotice(engine, org, day, told);
      if (!written) continue;
      const { noticeId, deliveries } = written;
      report.notices++;
      report.deliveries += deliveries.length;
      await engine.queue.enqueueDeliveries(deliveries);
      // Before the day's plan is made, which holds what a queued export must still hold.
      await requestNoticeExport(engine, {
        noticeId,
        orgId: org.id,
        categories: told.map((t) => t.category),
        withinDays: org.leadDays,
      });
      engine.log
        .child({ orgId: org.id })
        .info({ categories: told.length, deliveries: deliveries.length }, "notice written");
    }
  }
  return report;
}
