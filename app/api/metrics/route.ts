import { db } from "@/server/db";
import { renderMetrics } from "@/server/retention/metrics";

export const dynamic = "force-dynamic";

/** Prometheus text exposition; ids' counts and bytes only. */
export async function GET() {
  const { contentType, body } = await renderMetrics(db());
  return new Response(body, {
    headers: { "content-type": contentType, "cache-control": "no-store" },
  });
}
