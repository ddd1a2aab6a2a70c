import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./embedded-db";

const LAUNCHER = path.resolve(import.meta.dirname, "..", "test", "fixtures", "dev-launcher.ts");
const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe("npm run dev, stopped by Ctrl-C", () => {
  it("stops the app, every process of it, before the database: no connection errors", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "lethe-dev-"));
    folders.push(folder);
    await chmod(folder, 0o755);
    // A process group of its own, as a terminal's foreground job: Ctrl-C signals the whole group.
    const launcher = spawn(process.execPath, ["--import", "tsx", LAUNCHER], {
      env: {
        ...process.env,
        DATA_DIR: path.join(folder, "postgres"),
        PG_PORT: String(await freePort(56200)),
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const lines: string[] = [];
    const collect = (chunk: Buffer) => lines.push(...chunk.toString().split("\n").filter(Boolean));
    launcher.stdout.on("data", (chunk: Buffer) => {
      collect(chunk);
      if (chunk.toString().includes("app: ready")) process.kill(-(launcher.pid ?? 0), "SIGINT");
    });
    launcher.stderr.on("data", collect);
    const code = await new Promise((resolve) => launcher.on("exit", resolve));

    expect(lines.filter((l) => l.startsWith("app:") || l.startsWith("launcher:"))).toEqual([
      "app: ready",
      "app: server stopped",
      "launcher: stopping the database",
      "launcher: done",
    ]);
    expect(lines.filter((l) => /error|failed/i.test(l))).toEqual([]);
    expect(code).toBe(0);
  }, 60_000);
});
