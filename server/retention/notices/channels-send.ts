import nodemailer from "nodemailer";
import { Webhook } from "standardwebhooks";
import type { Log } from "../../log";
import type { NoticeBody } from "./body";
import type { NoticeChannels } from "./channels";
import { noticeEmail } from "./email";

/** A failure no retry can mend: the delivery fails at once, with this why. */
export class FinalFailure extends Error {}

/**
 * Posts the notice, signed per Standard Webhooks: `webhook-id` is the
 * notice's id (receivers drop a second delivery of the same id). A redirect
 * is an answer, not followed: the endpoint is the one the admin set.
 */
export async function postWebhook(
  channels: NoticeChannels,
  target: { url: string; secret: string },
  body: NoticeBody,
) {
  const payload = JSON.stringify(body);
  const at = new Date();
  const signature = new Webhook(target.secret).sign(body.id, at, payload);
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Lethe-Notices/1",
        "webhook-id": body.id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: payload,
      redirect: "manual",
      signal: AbortSignal.timeout(channels.timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    throw new Error(
      name === "TimeoutError" || name === "AbortError"
        ? `no answer within ${channels.timeoutMs / 1000} s`
        : `could not reach the endpoint (${causeCode(error)})`,
    );
  }
  // Only the status is kept: a response body is the receiver's, not ours to store.
  await response.body?.cancel().catch(() => undefined);
  if (response.status < 200 || response.status > 299)
    throw new Error(`the endpoint answered HTTP ${response.status}`);
}

/** A network error's code (ECONNREFUSED, ENOTFOUND, …) without addresses or hosts. */
function causeCode(error: unknown) {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? "network error";
}

/** Sends the notice by email, or logs it where this deployment logs emails. */
export async function sendEmail(
  channels: NoticeChannels,
  log: Log,
  to: string[],
  body: NoticeBody,
) {
  const email = noticeEmail(body);
  if (channels.email === "log") {
    log.info(
      { noticeId: body.id, orgId: body.org.id, recipients: to.length, ...email },
      "notice email logged, not sent (SMTP_URL is not set)",
    );
    return;
  }
  if (channels.email === "none")
    throw new FinalFailure("SMTP_URL is not set: this deployment sends no email");
  const transport = nodemailer.createTransport(channels.email.smtpUrl, {
    connectionTimeout: channels.timeoutMs,
    greetingTimeout: channels.timeoutMs,
    socketTimeout: channels.timeoutMs,
  });
  try {
    await transport.sendMail({ from: channels.from, to, ...email });
  } catch (error) {
    const e = error as { responseCode?: number; code?: string };
    throw new Error(
      e.responseCode
        ? `the mail server answered ${e.responseCode}`
        : `could not send (${e.code ?? "SMTP error"})`,
    );
  } finally {
    transport.close();
  }
}
