import { apiCaller, problem } from "@/app/api/_lib/http";
import { db } from "@/server/db";
import { manifestPages } from "@/server/retention/evidence";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A run's manifest as a download, streamed page by page: `?format=json`
 * (batches with their SHA-256) or `?format=csv` (one line per item).
 */
export async function GET(request: Request, context: { params: Promise<{ runId: string }> }) {
  const caller = await apiCaller(request, "read");
  if (caller instanceof Response) return caller;
  const { runId } = await context.params;
  if (!UUID.test(runId)) return problem(400, `runId: "${runId}" is not a run id.`);
  const run = await db().purgeRun.findUnique({ where: { id: runId } });
  if (!run) return problem(404, `No purge run ${runId}.`);
  const format = new URL(request.url).searchParams.get("format") ?? "json";
  if (format !== "json" && format !== "csv") return problem(400, "format must be json or csv.");
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => controller.enqueue(encoder.encode(text));
      if (format === "csv") write("run_id,batch_no,org_id,category,item_id,batch_sha256\n");
      else
        write(
          `{"runId":"${run.id}","runKey":${JSON.stringify(run.runKey)},"status":"${run.status}","digest":"sha256(CATEGORY:orgId:sorted ids joined by ,)","batches":[`,
        );
      let first = true;
      for await (const page of manifestPages(db(), run.id)) {
        for (const batch of page) {
          if (format === "csv") {
            write(
              batch.itemIds
                .map(
                  (id) =>
                    `${run.id},${batch.batchNo},${batch.orgId},${batch.category},${id},${batch.sha256}\n`,
                )
                .join(""),
            );
          } else {
            write((first ? "" : ",") + JSON.stringify(batch));
            first = false;
          }
        }
      }
      if (format === "json") write("]}");
      controller.close();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv" : "application/json",
      "content-disposition": `attachment; filename="lethe-run-${run.id}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
