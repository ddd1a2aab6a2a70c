import { spawn } from "node:child_process";

/** How long the app's processes get to stop before they are killed. */
const STOP_GRACE_MS = 15_000;

/** Whether any process of the group led by `pgid` is alive. */
function groupAlive(pgid: number) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Every process of the group has exited already.
  }
}

/**
 * Runs the app (`next dev`) until it ends or this process is asked to stop,
 * then stops the database: in that order, so nothing of the app (Next's
 * server process, with its database pool and queue connections) is left
 * talking to a database that went away.
 *
 * The app gets a process group of its own: a Ctrl-C in the terminal reaches
 * this launcher alone, which passes it on to every process of the app and
 * waits for the last of them (the one `next dev` starts outlives it), not
 * just for the process it started. Resolves with the app's exit code.
 */
export function runAppThenDatabase(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  stopDatabase: () => Promise<void>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const app = spawn(command, args, { ...options, stdio: "inherit", detached: true });
    const pgid = app.pid;
    if (pgid === undefined) {
      app.once("error", reject);
      return;
    }
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      signalGroup(pgid, signal);
      setTimeout(() => signalGroup(pgid, "SIGKILL"), STOP_GRACE_MS).unref();
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
    app.on("exit", (code) => {
      // The processes it started, if it did not stop them, stop with it.
      stop("SIGTERM");
      const waitForGroup = () => {
        if (groupAlive(pgid)) return void setTimeout(waitForGroup, 100);
        stopDatabase().then(() => resolve(code ?? 0), reject);
      };
      waitForGroup();
    });
  });
}
