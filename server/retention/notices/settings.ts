import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Engine } from "../deps";
import { appendAudit, type Actor } from "../evidence/audit-log";
import { markDirty, noticePairs } from "../forecast/dirty-pairs";
import { channelsOf } from "./channels";
import { newSigningSecret, seal } from "./secret-box";
import { refusedHost } from "./webhook-address";

/** What anyone signed in may read of an org's notice settings: never the secret itself. */
export type NoticeSettingsView = {
  orgId: number;
  webhookUrl: string | null;
  /** The signing secret is set (since when), or there is none. */
  secret: { createdAt: Date } | null;
  recipients: string[];
  leadDays: number;
  /** The org hears (a webhook or at least one recipient). */
  configured: boolean;
};

/** The lead time of an org without settings, and its bounds. */
export const LEAD_DAYS = { default: 7, min: 1, max: 30 } as const;
export const MAX_RECIPIENTS = 20;

export async function readNoticeSettings(db: Db, orgId: number): Promise<NoticeSettingsView> {
  const org = await db.organization.findUnique({ where: { id: orgId }, select: { id: true } });
  if (!org) throw new AppError("NOT_FOUND", `Organization ${orgId} does not exist.`);
  const row = await db.noticeSettings.findUnique({ where: { orgId } });
  return {
    orgId,
    webhookUrl: row?.webhookUrl ?? null,
    secret: row?.secretCreatedAt ? { createdAt: row.secretCreatedAt } : null,
    recipients: row?.recipients ?? [],
    leadDays: row?.leadDays ?? LEAD_DAYS.default,
    configured: Boolean(row?.webhookUrl) || (row?.recipients.length ?? 0) > 0,
  };
}

export type NoticeSettingsInput = {
  orgId: number;
  /** Already a valid URL without credentials (the input schema); null: no webhook. */
  webhookUrl: string | null;
  /** Already valid, lower-cased and unique. */
  recipients: string[];
  leadDays: number;
};

/** The signing secret, shown once: when it is created or rotated. */
export type NewSecret = { secret: string; createdAt: Date };

const badUrl = (message: string) =>
  new AppError("BAD_INPUT", `The webhook endpoint (webhookUrl) ${message}`, {
    fieldErrors: { webhookUrl: [message] },
  });

/** https, unless this deployment accepts plain http for local receivers. */
function refuseInsecure(engine: Engine, url: string) {
  if (new URL(url).protocol === "https:") return;
  if (channelsOf(engine).allowHttp && new URL(url).protocol === "http:") return;
  throw badUrl("must be an https:// URL: notices carry what an org is about to lose");
}

/**
 * A public host, unless this deployment accepts local receivers. A name is
 * resolved and checked again at each send (webhook-address.ts): what it
 * answers now may not be what it answers then.
 */
function refusePrivate(engine: Engine, url: string) {
  if (channelsOf(engine).allowPrivateAddresses) return;
  const refused = refusedHost(new URL(url));
  if (refused) throw badUrl(`must point to a public host on the internet: ${refused}`);
}

/**
 * Saves an org's notice settings (ADMIN). A webhook without a secret gets
 * one, returned this once; removing the webhook removes its secret.
 * Audited with counts only: the addresses are personal data.
 */
export async function saveNoticeSettings(
  engine: Engine,
  actor: Actor,
  input: NoticeSettingsInput,
): Promise<{ settings: NoticeSettingsView; newSecret: NewSecret | null }> {
  if (input.webhookUrl) {
    refuseInsecure(engine, input.webhookUrl);
    refusePrivate(engine, input.webhookUrl);
  }
  const key = channelsOf(engine).secretKey();
  const newSecret = await engine.db.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({
      where: { id: input.orgId },
      select: { id: true },
    });
    if (!org) throw new AppError("NOT_FOUND", `Organization ${input.orgId} does not exist.`);
    const before = await tx.noticeSettings.findUnique({ where: { orgId: input.orgId } });
    const fresh: NewSecret | null =
      input.webhookUrl && !before?.sealedSecret
        ? { secret: newSigningSecret(), createdAt: engine.now() }
        : null;
    const secret = !input.webhookUrl
      ? { sealedSecret: null, secretCreatedAt: null }
      : fresh
        ? { sealedSecret: seal(key, input.orgId, fresh.secret), secretCreatedAt: fresh.createdAt }
        : {};
    const fields = {
      webhookUrl: input.webhookUrl,
      recipients: input.recipients,
      leadDays: input.leadDays,
      ...secret,
    };
    await tx.noticeSettings.upsert({
      where: { orgId: input.orgId },
      create: { orgId: input.orgId, ...fields },
      update: fields,
    });
    // Channels and lead time decide whether, and for how long, a notice period holds its items.
    await markDirty(tx, noticePairs(input.orgId));
    await appendAudit(tx, {
      actor,
      action: "notices.settings.saved",
      orgId: input.orgId,
      target: `org:${input.orgId}`,
      details: {
        webhook: Boolean(input.webhookUrl),
        webhookChanged: (before?.webhookUrl ?? null) !== input.webhookUrl,
        secretCreated: Boolean(fresh),
        recipients: input.recipients.length,
        leadDays: input.leadDays,
      },
    });
    return fresh;
  });
  return { settings: await readNoticeSettings(engine.db, input.orgId), newSecret };
}

/** A new signing secret for the org's webhook (ADMIN), returned this once; the old one stops signing. */
export async function rotateNoticeSecret(
  engine: Engine,
  actor: Actor,
  orgId: number,
): Promise<NewSecret> {
  const key = channelsOf(engine).secretKey();
  return engine.db.$transaction(async (tx) => {
    const row = await tx.noticeSettings.findUnique({ where: { orgId } });
    if (!row?.webhookUrl)
      throw new AppError(
        "PRECONDITION",
        `Organization ${orgId} has no webhook: set its endpoint first, which creates a secret.`,
      );
    const fresh = { secret: newSigningSecret(), createdAt: engine.now() };
    await tx.noticeSettings.update({
      where: { orgId },
      data: { sealedSecret: seal(key, orgId, fresh.secret), secretCreatedAt: fresh.createdAt },
    });
    await appendAudit(tx, {
      actor,
      action: "notices.secret.rotated",
      orgId,
      target: `org:${orgId}`,
    });
    return fresh;
  });
}
