import { randomUUID } from "node:crypto";
import { bearerMatches, errorResponse, json, problem } from "@/app/api/_lib/http";
import { appEngine } from "@/server/app-engine";
import { env } from "@/server/env";
import { appLog } from "@/server/log";
import { refuseIfNewer } from "@/server/migration-check";
import { runDailyPurge, scheduledDay } from "@/server/retention/run/daily";

export const dynamic = "force-dynamic";
/** Keep in step with vercel.json and CRON_MAX_DURATION_SECONDS. */
export const maxDuration = 300;

/** The daily purge (Vercel cron, "0 4 * * *"): create or join the day's plan and run, work ~80% of maxDuration. */
export async function GET(request: Request) {
  const started = Date.now();
  const e = env();
  if (!e.CRON_SECRET)
    return problem(503, "CRON_SECRET is not set: the scheduled purge refuses to run without it.");
  if (!bearerMatches(request, e.CRON_SECRET))
    return problem(401, "Missing or wrong Authorization: Bearer <CRON_SECRET>.");
  // Deliveries overlap and retry: the id tells one delivery's start from another's end.
  let log = appLog().child({ delivery: randomUUID() });
  try {
    const engine = await appEngine();
    log = log.child({ day: scheduledDay(engine.now()) });
    log.info("daily purge delivery started");
    // A deployment rolled back behind its database serves the console, but deletes nothing.
    await refuseIfNewer(engine.db);
    const result = await runDailyPurge(engine, started + e.CRON_MAX_DURATION_SECONDS * 800);
    log.info(
      {
        runId: result.progress?.id,
        joined: result.joined,
        worked: result.worked,
        status: result.progress?.status ?? result.planning?.status,
        fraction: result.progress?.fraction,
        steps: result.planning
          ? `${result.planning.stepsDone}/${result.planning.stepsTotal}`
          : undefined,
        cleanup: result.cleanup,
        ms: Date.now() - started,
      },
      "daily purge delivery ended",
    );
    return json(result);
  } catch (error) {
    return errorResponse(error, log);
  }
}
