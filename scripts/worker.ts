import { db } from "../server/db";
import { appEngine } from "../server/app-engine";
import { drain } from "../server/retention/run/worker";
import { envOrRefuse, refuseToStartIfUnsafe } from "../server/startup-checks";

/**
 * `npm run worker`: drains purge tasks from the same queue as the cron route,
 * on any number of machines at once. Polls while idle; stops cleanly on
 * SIGINT/SIGTERM between batches.
 */
async function main() {
  await refuseToStartIfUnsafe(envOrRefuse("worker"), db(), "worker");
  const engine = await appEngine();
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  console.log(`Lethe worker ${engine.workerId} draining purge tasks (Ctrl-C to stop).`);
  while (!stopping) {
    const report = await drain(engine, Date.now() + 30_000);
    if (report.tasksWorked > 0)
      console.log(
        `worked ${report.tasksWorked} task slices, finished ${report.tasksFinished}, failures ${report.failures}`,
      );
    else await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  await engine.queue.stop();
  await engine.db.$disconnect();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
