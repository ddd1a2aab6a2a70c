import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../embedded-db";
import { startPostgresServer, type PostgresServer } from "./server";

const asRoot = process.getuid?.() === 0;
const started: PostgresServer[] = [];
const folders: string[] = [];
afterAll(async () => {
  for (const server of started) await server.stop();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** A pid that no process has any more. */
function deadPid() {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return child.stdout.toString();
}

describe("the embedded PostgreSQL", () => {
  it("takes back its data directory from a server whose starter was killed without stopping it", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "lethe-orphan-"));
    folders.push(folder);
    await chmod(folder, 0o755);
    const options = {
      dataDir: path.join(folder, "postgres"),
      port: await freePort(55950),
      superuser: "lethe",
      password: "secret",
      flags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    };
    const orphan = await startPostgresServer(options);
    started.push(orphan);
    // Its starter dies by SIGKILL: nothing stops the server, which keeps the data directory locked.
    await writeFile(`${orphan.dataDir}.starter`, deadPid());
    const again = await startPostgresServer({ ...options, port: await freePort(55960) });
    started.push(again);
    expect(again.dataDir).toBe(orphan.dataDir);
  });

  // As root the server runs as the postgres account, which cannot enter a
  // folder only root may: a clone in /root, or in a `mktemp -d` folder.
  it.runIf(asRoot)(
    "starts from a folder that only root may enter, keeps its data across restarts, and empties it when asked",
    async () => {
      const privateFolder = await mkdtemp(path.join(os.tmpdir(), "lethe-private-"));
      folders.push(privateFolder);
      expect((await stat(privateFolder)).mode & 0o077).toBe(0);
      const options = {
        dataDir: path.join(privateFolder, ".lethe", "postgres"),
        port: await freePort(55900),
        superuser: "lethe",
        password: "secret",
        flags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      };
      const query = async (text: string) => {
        const client = new pg.Client({
          host: "127.0.0.1",
          port: options.port,
          user: "lethe",
          password: "secret",
          database: "postgres",
        });
        await client.connect();
        try {
          return (await client.query<{ value: string }>(text)).rows[0]?.value;
        } finally {
          await client.end();
        }
      };
      const first = await startPostgresServer(options);
      started.push(first);
      folders.push(first.dataDir);
      await query("CREATE TABLE kept (value text)");
      await query("INSERT INTO kept VALUES ('still here')");
      await first.stop();

      const second = await startPostgresServer(options);
      started.push(second);
      expect(second.dataDir).toBe(first.dataDir);
      expect(await query("SELECT value FROM kept")).toBe("still here");
      expect((await stat(privateFolder)).mode & 0o077).toBe(0);
      await second.stop();

      // The e2e suite's fresh start empties the data it moved, not only the checkout's folder.
      const fresh = await startPostgresServer({ ...options, fresh: true });
      started.push(fresh);
      expect(await query("SELECT to_regclass('kept')::text AS value")).toBeNull();
    },
  );
});
