/**
 * How this deployment delivers notices: given to the engine by the app
 * (server/app-engine.ts, from the environment) and by tests directly.
 */
export type NoticeChannels = {
  /** The key that seals webhook signing secrets (secret-box.ts); throws why when there is none. */
  secretKey: () => Buffer;
  /**
   * Plain-http webhook endpoints are accepted (tests and local receivers:
   * NODE_ENV=test or NOTICE_ALLOW_HTTP=true outside production); otherwise https only.
   */
  allowHttp: boolean;
  /**
   * Webhook endpoints may be (or resolve to) localhost and private,
   * loopback or link-local addresses: tests and a receiver on this machine
   * only (NODE_ENV=test or NOTICE_ALLOW_PRIVATE_ADDRESSES=true). Otherwise
   * such a URL is refused when saved, and a host that resolves to one when
   * a notice is sent fails that delivery.
   */
  allowPrivateAddresses: boolean;
  /**
   * Where emails go: an SMTP URL (sent), "log" (development without
   * SMTP_URL: written to the log, not sent) or "none" (production without
   * SMTP_URL: each email delivery fails saying so).
   */
  email: { smtpUrl: string } | "log" | "none";
  /** The From address of notice emails. */
  from: string;
  /** Longest a webhook request or an SMTP exchange may take. */
  timeoutMs: number;
  /** Attempts of one delivery before it is marked FAILED. */
  maxAttempts: number;
};

export const NOTICE_DEFAULTS = { timeoutMs: 10_000, maxAttempts: 5 } as const;

/** The channels of an engine that has them; a clear failure where one was not wired. */
export function channelsOf(engine: { notices?: NoticeChannels }): NoticeChannels {
  if (!engine.notices) throw new Error("This process was started without notice channels");
  return engine.notices;
}
