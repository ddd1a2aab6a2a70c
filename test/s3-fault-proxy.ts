import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Faults = {
  /** Added to every request, both ways split evenly. */
  latencyMs?: number;
  /** Share of requests answered 503 SlowDown without reaching the server. */
  throttleRate?: number;
  /** Share of requests whose connection is cut before an answer. */
  dropRate?: number;
  /** Share of DeleteObjects requests that get partial errors (every one when unset). */
  partialRequestRate?: number;
  /** Share of the keys of such a DeleteObjects that the server never sees, reported back as errors. */
  partialErrorRate?: number;
};

export type FaultCounts = {
  requests: number;
  throttled: number;
  dropped: number;
  keysFailed: number;
  deleteRequests: number;
  /** DeleteObjects requests answered with at least one injected key error. */
  partialRequests: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An HTTP proxy in front of the S3-compatible server that injects the
 * failures S3 has in production: throttling, dropped connections, partial
 * DeleteObjects errors, latency. It rewrites DeleteObjects bodies, so the
 * server behind it must accept re-signed payloads (--allow-mismatched-signatures).
 */
export async function startFaultProxy(
  target: string,
  initial: Faults = {},
  random: () => number = Math.random,
) {
  const upstream = new URL(target);
  let faults: Faults = { ...initial };
  const counts: FaultCounts = {
    requests: 0,
    throttled: 0,
    dropped: 0,
    keysFailed: 0,
    deleteRequests: 0,
    partialRequests: 0,
  };

  const server = http.createServer(async (req, res) => {
    counts.requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    const half = (faults.latencyMs ?? 0) / 2;
    if (half) await sleep(half);
    if (random() < (faults.dropRate ?? 0)) {
      counts.dropped++;
      req.socket.destroy();
      return;
    }
    if (random() < (faults.throttleRate ?? 0)) {
      counts.throttled++;
      res.writeHead(503, { "content-type": "application/xml" });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
      );
      return;
    }
    const isDelete = req.method === "POST" && (req.url ?? "").includes("delete");
    const withheld: string[] = [];
    const headers = { ...req.headers };
    if (isDelete) {
      counts.deleteRequests++;
      // Drawn only when set, so a seeded run without it sees the same sequence as before.
      const partial =
        faults.partialRequestRate === undefined || random() < faults.partialRequestRate;
      const xml = body.toString("utf8");
      const kept = xml.replace(
        /<Object>\s*<Key>([^<]*)<\/Key>\s*<\/Object>/g,
        (whole, key: string) => {
          if (partial && random() < (faults.partialErrorRate ?? 0)) {
            withheld.push(key);
            return "";
          }
          return whole;
        },
      );
      if (withheld.length) {
        counts.partialRequests++;
        counts.keysFailed += withheld.length;
        body = Buffer.from(kept, "utf8");
        headers["content-md5"] = createHash("md5").update(body).digest("base64");
        headers["content-length"] = String(body.length);
      }
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      async (answer) => {
        const parts: Buffer[] = [];
        for await (const part of answer) parts.push(part as Buffer);
        let payload = Buffer.concat(parts);
        if (withheld.length && answer.statusCode === 200) {
          const errors = withheld
            .map(
              (key) =>
                `<Error><Key>${key}</Key><Code>InternalError</Code><Message>injected failure</Message></Error>`,
            )
            .join("");
          payload = Buffer.from(
            payload.toString("utf8").replace("</DeleteResult>", `${errors}</DeleteResult>`),
            "utf8",
          );
        }
        if (half) await sleep(half);
        const out = { ...answer.headers, "content-length": String(payload.length) };
        res.writeHead(answer.statusCode ?? 502, out);
        res.end(payload);
      },
    );
    forward.on("error", () => res.destroy());
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    setFaults: (next: Faults) => {
      faults = { ...next };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
