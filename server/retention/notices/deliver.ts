import type { NoticeChannel } from "../../generated/prisma/enums";
import type { Engine } from "../deps";
import { markDirty, noticePairs } from "../forecast/dirty-pairs";
import { sql } from "../sql";
import { noticeBody, type NoticeBody } from "./body";
import { channelsOf } from "./channels";
import { FinalFailure, postWebhook, sendEmail } from "./channels-send";
import { noticeExport } from "./notice-export";
import { open } from "./secret-box";

export type SendReport = { sent: number; retrying: number; failed: number };

/** The notice a delivery sends, as its receiver sees it. */
async function bodyOf(engine: Engine, noticeId: string): Promise<NoticeBody> {
  const notice = await engine.db.notice.findUniqueOrThrow({
    where: { id: noticeId },
    include: { categories: { orderBy: { category: "asc" } } },
  });
  const org = await engine.db.organization.findUniqueOrThrow({
    where: { id: notice.orgId },
    select: { id: true, name: true },
  });
  const exported = await noticeExport(engine, {
    noticeId: notice.id,
    orgId: org.id,
    categories: notice.categories.map((c) => c.category),
    withinDays: notice.leadDays,
  });
  return noticeBody({ ...notice, org: { id: org.id, name: org.name } }, exported);
}

/** Sends one delivery over its channel to where the org's settings point now. */
async function send(engine: Engine, channel: NoticeChannel, body: NoticeBody) {
  const channels = channelsOf(engine);
  const settings = await engine.db.noticeSettings.findUnique({ where: { orgId: body.org.id } });
  if (channel === "WEBHOOK") {
    if (!settings?.webhookUrl || !settings.sealedSecret)
      throw new FinalFailure("the org's webhook was removed");
    let secret: string;
    try {
      secret = open(channels.secretKey(), body.org.id, settings.sealedSecret);
    } catch {
      throw new FinalFailure("the signing secret cannot be opened with NOTICE_SECRET_KEY");
    }
    await postWebhook(channels, { url: settings.webhookUrl, secret }, body);
  } else {
    if (!settings || settings.recipients.length === 0)
      throw new FinalFailure("the org's recipients were removed");
    await sendEmail(channels, engine.log, settings.recipients, body);
  }
}

/**
 * One attempt of one delivery, counted before it is made (a crash mid-send
 * counts too): SENT, or its error kept and "retry" until the attempts run
 * out, then FAILED with why. A delivery already SENT or FAILED is left alone,
 * so a job handed out twice never sends twice after a success is recorded.
 */
async function attempt(engine: Engine, deliveryId: string): Promise<"done" | { retry: string }> {
  const [taken] = await engine.db.$queryRaw<
    { attempts: number; channel: NoticeChannel; notice_id: string }[]
  >(sql`
    UPDATE notice_deliveries SET attempts = attempts + 1
    WHERE id = ${deliveryId}::uuid AND status = 'PENDING'
    RETURNING attempts, channel, notice_id`);
  if (!taken) return "done";
  const body = await bodyOf(engine, taken.notice_id);
  const log = engine.log.child({ noticeId: body.id, orgId: body.org.id, deliveryId });
  try {
    await send(engine, taken.channel, body);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const final = error instanceof FinalFailure || taken.attempts >= channelsOf(engine).maxAttempts;
    await engine.db.noticeDelivery.update({
      where: { id: deliveryId },
      data: { lastError: why.slice(0, 300), ...(final ? { status: "FAILED" } : {}) },
    });
    log.warn(
      { channel: taken.channel, attempt: taken.attempts, final, why },
      "notice delivery failed",
    );
    return final ? "done" : { retry: why };
  }
  await engine.db.$transaction(async (tx) => {
    await tx.noticeDelivery.update({
      where: { id: deliveryId },
      data: { status: "SENT", sentAt: engine.now(), lastError: null },
    });
    // Told, its items' notice period runs from now: their days in the forecast move.
    await markDirty(tx, noticePairs(body.org.id));
  });
  log.info({ channel: taken.channel, attempt: taken.attempts }, "notice delivered");
  return "done";
}

/**
 * Hands out again the jobs of workers that vanished mid-send, and queues
 * again the pending deliveries that lost their job (a crash between
 * writing a notice and queueing its deliveries).
 */
async function requeueLost(engine: Engine) {
  await engine.queue.expireStale();
  const pending = await engine.db.noticeDelivery.findMany({
    where: { status: "PENDING" },
    select: { id: true },
  });
  await engine.queue.enqueueDeliveries(
    await engine.queue.deliveriesWithoutJob(pending.map((d) => d.id)),
  );
}

/**
 * Sends the queued deliveries whose time has come until `deadline`, one at
 * a time; one that fails waits its backoff on the queue while the others go.
 */
export async function sendNotices(engine: Engine, deadline: number): Promise<SendReport> {
  const report: SendReport = { sent: 0, retrying: 0, failed: 0 };
  if (!engine.notices) return report;
  await requeueLost(engine);
  while (Date.now() + engine.notices.timeoutMs + 500 < deadline) {
    const job = await engine.queue.nextDelivery();
    if (!job) break;
    let outcome: Awaited<ReturnType<typeof attempt>>;
    try {
      outcome = await attempt(engine, job.deliveryId);
    } catch (error) {
      engine.log.error({ err: error, deliveryId: job.deliveryId }, "notice delivery broke");
      outcome = { retry: error instanceof Error ? error.message : String(error) };
    }
    await engine.queue.endDelivery(job.jobId, outcome === "done" ? undefined : outcome.retry);
    if (outcome !== "done") report.retrying++;
    else {
      const row = await engine.db.noticeDelivery.findUnique({ where: { id: job.deliveryId } });
      if (row?.status === "SENT") report.sent++;
      if (row?.status === "FAILED") report.failed++;
    }
  }
  return report;
}
