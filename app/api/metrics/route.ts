import { bearerMatches, problem } from "@/app/api/_lib/http";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { renderMetrics } from "@/server/retention/evidence/metrics";

export const dynamic = "force-dynamic";

/**
 * Prometheus text exposition; ids' counts and bytes only. Open unless
 * METRICS_TOKEN is set; then only for `Authorization: Bearer $METRICS_TOKEN`.
 */
export async function GET(request: Request) {
  const token = env().METRICS_TOKEN;
  if (token && !bearerMatches(request, token))
    return problem(401, "Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.");
  const { contentType, body } = await renderMetrics(db());
  return new Response(body, {
    headers: { "content-type": contentType, "cache-control": "no-store" },
  });
}
