import { json } from "@/app/api/_lib/http";
import { db } from "@/server/db";
import { retentionHealth } from "@/server/retention/evidence/health";

export const dynamic = "force-dynamic";

/** Database reachable, last successful daily purge, stale after 25 h. 503 when the database is down. */
export async function GET() {
  const health = await retentionHealth(db(), new Date());
  return json(health, { status: health.database === "ok" ? 200 : 503 });
}
