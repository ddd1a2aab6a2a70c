import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "../scripts/embedded-db";

export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

async function waitForPort(port: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`s3rver did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * A real S3-compatible server (s3rver) in a child process. It needs
 * OpenSSL's legacy provider: its list continuation tokens use a cipher
 * OpenSSL 3 blocks by default.
 */
export async function startS3Server(
  buckets: string[],
  options: { allowRewrittenBodies?: boolean } = {},
): Promise<{ endpoint: string; stop: () => void; process: ChildProcess }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "lethe-s3-"));
  const port = await freePort(14568 + Math.floor(Math.random() * 2000));
  const bin = path.resolve(import.meta.dirname, "..", "node_modules", "s3rver", "bin", "s3rver.js");
  const child = spawn(
    process.execPath,
    [
      bin,
      "-d",
      dir,
      "-a",
      "127.0.0.1",
      "-p",
      String(port),
      "--silent",
      // A fault proxy rewrites DeleteObjects bodies; the server must not reject them.
      ...(options.allowRewrittenBodies ? ["--allow-mismatched-signatures"] : []),
      ...buckets.flatMap((b) => ["--configure-bucket", b]),
    ],
    { stdio: "ignore", env: { ...process.env, NODE_OPTIONS: "--openssl-legacy-provider" } },
  );
  await waitForPort(port, 15_000);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => {
      // Its objects go with it: the fault suite alone writes thousands.
      child.once("exit", () => void rm(dir, { recursive: true, force: true }));
      child.kill("SIGTERM");
    },
    process: child,
  };
}
