import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { Webhook } from "standardwebhooks";
import type { NoticeBody } from "../server/retention/notices/body";
import type { NoticeChannels } from "../server/retention/notices/channels";
import { sealingKey } from "../server/retention/notices/secret-box";

/** Notice channels for tests: a fixed sealing key, plain http to local receivers, emails logged. */
export const testNoticeChannels = (): NoticeChannels => ({
  secretKey: () => sealingKey("lethe test notice key, 32+ characters long"),
  allowHttp: true,
  allowPrivateAddresses: true,
  email: "log",
  from: "lethe@example.test",
  timeoutMs: 5_000,
  maxAttempts: 3,
});

export type Receiver = {
  url: string;
  /** Verified notices by webhook-id, each once however often it came. */
  notices: Map<string, NoticeBody>;
  /** Requests that came, verified or not (a second delivery of one id counts here). */
  requests: number;
  /** Requests whose signature did not verify. */
  refused: number;
  /** The status the receiver answers with (200 unless a test makes it fail). */
  status: number;
  /** Keeps each request it verified but never answers: the sender is caught mid-send. */
  hold: boolean;
  /** Signs the secret this receiver verifies with. */
  secret: string | null;
  /** The last raw request, for a test to replay tampered. */
  last: { headers: IncomingHttpHeaders; body: string } | null;
  close(): Promise<void>;
};

/** A real HTTP receiver that verifies each notice with Standard Webhooks' own library. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: "",
    notices: new Map(),
    requests: 0,
    refused: 0,
    status: 200,
    hold: false,
    secret: null,
    last: null,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      receiver.requests++;
      const body = Buffer.concat(chunks).toString("utf8");
      receiver.last = { headers: request.headers, body };
      try {
        const verified = new Webhook(receiver.secret ?? "").verify(
          body,
          request.headers as Record<string, string>,
        ) as NoticeBody;
        if (receiver.status === 200)
          receiver.notices.set(String(request.headers["webhook-id"]), verified);
      } catch {
        receiver.refused++;
        response.writeHead(401).end();
        return;
      }
      if (!receiver.hold) response.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/lethe`;
  return receiver;
}

export type Mailbox = {
  smtpUrl: string;
  messages: { to: string[]; raw: string }[];
  close(): Promise<void>;
};

/** A real SMTP server in this process that keeps every message it accepts. */
export async function startMailbox(): Promise<Mailbox> {
  const messages: Mailbox["messages"] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
