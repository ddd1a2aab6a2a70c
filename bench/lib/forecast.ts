import type { Db } from "../../server/db";
import { DEFAULT_SETTINGS, type EngineSettings } from "../../server/retention/deps";
import { refreshForecast } from "../../server/retention/forecast/snapshot";

/** The app's settings on the bench: its defaults, no RETENTION_* overrides. */
export const BENCH_SETTINGS: EngineSettings = { ...DEFAULT_SETTINGS, policy: {} };

/** A forecast snapshot newer than the latest one, computed in this process; its id. */
export async function refreshSnapshot(db: Db) {
  const [latest] = await db.$queryRaw<{ id: number | null }[]>`
    SELECT max(id)::int AS id FROM forecast_snapshots`;
  return refreshForecast(db, BENCH_SETTINGS, new Date(), { newerThan: latest?.id ?? 0 });
}
