import { apiCaller, json } from "@/app/api/_lib/http";
import { db } from "@/server/db";
import { retentionHealth } from "@/server/retention/evidence/health";

export const dynamic = "force-dynamic";

/**
 * Database reachable, last successful daily purge, stale after 25 h. 503
 * when the database is down. Anyone (a load balancer, an uptime check) gets
 * whether it is healthy and since when; a signed-in user or an API token
 * also gets the runs' ids and counts, which say what the fleet deletes.
 */
export async function GET(request: Request) {
  const health = await retentionHealth(db(), new Date());
  const status = health.database === "ok" ? 200 : 503;
  const caller = health.database === "ok" ? await apiCaller(request, "read") : null;
  if (caller && !(caller instanceof Response)) return json(health, { status });
  return json(
    {
      database: health.database,
      stale: health.stale,
      lastSuccessAt: health.lastSuccess?.finishedAt ?? null,
      planning: health.planning !== null,
    },
    { status },
  );
}
