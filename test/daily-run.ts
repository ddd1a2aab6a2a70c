import { refreshForecast } from "@/server/retention/forecast/snapshot";
import type { Engine } from "@/server/retention/deps";
import { openNow, planNow } from "@/server/retention/plan/step-runner";
import { runDailyPurge } from "@/server/retention/run/daily";

/**
 * The daily run of the engine's day, with the forecast as the console left
 * it: its plan planned here and confirmed by the schedule, its tasks written
 * and guarded, none worked yet. Its id.
 */
export async function startDaily(engine: Engine): Promise<string> {
  await refreshForecast(engine.db, engine.settings, engine.now());
  // A delivery already past its deadline creates the day's plan and works none of it.
  const { day } = await runDailyPurge(engine, Date.now());
  const key = `daily:${day}`;
  const plan = await engine.db.purgePlan.findUniqueOrThrow({ where: { planKey: key } });
  await planNow(engine, plan.id);
  await openNow(engine, plan.id);
  return (await engine.db.purgeRun.findUniqueOrThrow({ where: { runKey: key } })).id;
}
