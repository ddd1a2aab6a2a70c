import http from "node:http";
import https from "node:https";
import nodemailer from "nodemailer";
import { Webhook } from "standardwebhooks";
import type { Log } from "../../log";
import type { NoticeBody } from "./body";
import type { NoticeChannels } from "./channels";
import { noticeEmail } from "./email";
import { PrivateAddressError, publicOnlyLookup, refusedAddress } from "./webhook-address";

/** A failure no retry can mend: the delivery fails at once, with this why. */
export class FinalFailure extends Error {}

/**
 * Posts the notice, signed per Standard Webhooks: `webhook-id` is the
 * notice's id (receivers drop a second delivery of the same id). A redirect
 * is an answer, not followed: the endpoint is the one the admin set. Unless
 * this deployment allows private addresses, the connection goes only to a
 * public address (webhook-address.ts), checked as it is made.
 */
export async function postWebhook(
  channels: NoticeChannels,
  target: { url: string; secret: string },
  body: NoticeBody,
) {
  const url = new URL(target.url);
  const refused = channels.allowPrivateAddresses ? null : refusedAddress(url);
  if (refused) throw new FinalFailure(`the endpoint is not public: ${refused}`);
  const payload = JSON.stringify(body);
  const at = new Date();
  const signature = new Webhook(target.secret).sign(body.id, at, payload);
  const headers = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(payload)),
    "user-agent": "Lethe-Notices/1",
    "webhook-id": body.id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signature,
  };
  let status: number;
  try {
    status = await post(channels, url, headers, payload);
  } catch (error) {
    if (error instanceof PrivateAddressError) throw new FinalFailure(error.message);
    const name = (error as Error).name;
    throw new Error(
      name === "TimeoutError" || name === "AbortError"
        ? `no answer within ${channels.timeoutMs / 1000} s`
        : `could not reach the endpoint (${(error as { code?: string }).code ?? "network error"})`,
    );
  }
  if (status < 200 || status > 299) throw new Error(`the endpoint answered HTTP ${status}`);
}

/** One POST on its own connection; resolves with the status as soon as it is answered. */
function post(
  channels: NoticeChannels,
  url: URL,
  headers: Record<string, string>,
  payload: string,
) {
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise<number>((resolve, reject) => {
    const sent = request(
      url,
      {
        method: "POST",
        headers,
        agent: false,
        lookup: channels.allowPrivateAddresses ? undefined : publicOnlyLookup,
        signal: AbortSignal.timeout(channels.timeoutMs),
      },
      (response) => {
        // Only the status is kept: a response body is the receiver's, not ours to store.
        response.destroy();
        resolve(response.statusCode ?? 0);
      },
    );
    sent.on("error", reject);
    sent.end(payload);
  });
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
