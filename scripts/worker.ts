import "./production-by-default";
import { db } from "../server/db";
import { appEngine } from "../server/app-engine";
import { appLog } from "../server/log";
import { drain } from "../server/retention/run/worker";
import { workRounds } from "../server/retention/run/worker-rounds";
import { workPacks } from "../server/retention/evidence/pack/packs";
import { sendNotices } from "../server/retention/notices/deliver";
import { workExports } from "../server/retention/exports/exports";
import { envOrRefuse, refuseToStartIfUnsafe } from "../server/startup-checks";
import { migrationState, newerProblem } from "../server/migration-check";

/**
 * `npm run worker`: drains purge tasks from the same queue as the cron route,
 * on any number of machines at once, sends queued notice deliveries, and
 * builds queued evidence packs and exports when no purge work waits. Polls
 * while idle; stops (exit code 1) once a newer build has migrated the
 * database; stops cleanly on SIGINT/SIGTERM
 * between batches (a pack being built is finished first).
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
  engine.log.info("worker draining purge tasks (Ctrl-C to stop)");
  await workRounds(
    async () => {
      // A deploy may migrate the database under a worker of the build before: it stops.
      const { newer } = await migrationState(engine.db);
      if (newer.length > 0) {
        engine.log.fatal(newerProblem(newer));
        process.exitCode = 1;
        stopping = true;
        return;
      }
      const report = await drain(engine, Date.now() + 30_000);
      const notices = await sendNotices(engine, Date.now() + 30_000);
      if (report.jobsWorked > 0) engine.log.info(report, "drained");
      if (notices.sent + notices.retrying + notices.failed > 0) engine.log.info(notices, "notices");
      else if (!(await workPacks(engine)) && !(await workExports(engine)))
        await new Promise((resolve) => setTimeout(resolve, 2_000));
    },
    { log: engine.log, stopping: () => stopping },
  );
  await engine.queue.stop();
  await engine.db.$disconnect();
  engine.log.info("worker stopped");
}

main().catch((error: unknown) => {
  appLog().fatal({ err: error }, "worker failed");
  process.exit(1);
});
