import { readdirSync, readFileSync } from "node:fs";
import { withClient } from "./bench-db";

/** Linux reports process times in /proc in USER_HZ, which is 100 on every architecture. */
const TICKS_PER_SECOND = 100;

/** A process's parent and CPU times in ticks: its own, and its reaped children's. */
function times(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which may hold spaces: state, ppid, …, utime is the 12th.
  const f = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  const at = (i: number) => f[i] ?? 0;
  return { parent: at(1), own: at(11) + at(12), reaped: at(13) + at(14) };
}

export type ServerCpu = { ms(): number };

/**
 * The CPU a Postgres server on this machine has used so far, in ms: its
 * postmaster's, its ended backends' (reaped into the postmaster's children
 * times) and its live backends'. Null when the server's processes are not
 * here to read (a DATABASE_URL elsewhere).
 */
export async function serverCpu(serverUrl: string): Promise<ServerCpu | null> {
  // The backend's parent is the postmaster; read it while the backend lives.
  const postmaster = await withClient(serverUrl, async (c) => {
    const { rows } = await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    try {
      return times(rows[0]?.pid ?? 0).parent;
    } catch {
      return null;
    }
  });
  if (postmaster === null) return null;
  return {
    ms() {
      const main = times(postmaster);
      let ticks = main.own + main.reaped;
      for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const p = times(Number(entry));
          if (p.parent === postmaster) ticks += p.own;
        } catch {
          // Ended between the listing and the read: from now on its time is the postmaster's reaped time.
        }
      }
      return (ticks * 1000) / TICKS_PER_SECOND;
    },
  };
}
