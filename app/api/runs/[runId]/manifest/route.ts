import { apiCaller, download, problem } from "@/app/api/_lib/http";
import { csvFile } from "@/server/csv";
import { db } from "@/server/db";
import type { PurgeRun } from "@/server/generated/prisma/client";
import { isRecordUuid } from "@/server/record-uuid";
import { MANIFEST_DIGEST_FORMULA, manifestPages } from "@/server/retention/evidence/manifest";

export const dynamic = "force-dynamic";

/** One line per item; the file's own last line says how many and their digest (server/csv.ts). */
async function* itemRows(run: PurgeRun) {
  for await (const page of manifestPages(db(), run.id))
    for (const batch of page)
      for (const id of batch.itemIds)
        yield [run.id, batch.batchNo, batch.orgId, batch.category, id, batch.sha256];
}

/**
 * The batches with their SHA-256; a file cut short cannot parse. A daily
 * run's manifest also carries the audit chain's anchor: kept with the file,
 * it lets `npm run audit:verify -- --anchor ENTRIES:HASH` catch a log cut
 * back later, even if the database's own anchors went with it.
 */
async function* jsonManifest(run: PurgeRun) {
  const anchor = await db().auditAnchor.findUnique({ where: { runId: run.id } });
  const auditAnchor = anchor && {
    entries: anchor.entries.toString(),
    headHash: anchor.headHash,
    at: anchor.at.toISOString(),
  };
  yield `{"runId":"${run.id}","runKey":${JSON.stringify(run.runKey)},"status":"${run.status}","auditAnchor":${JSON.stringify(auditAnchor)},"digest":${JSON.stringify(MANIFEST_DIGEST_FORMULA)},"batches":[`;
  let first = true;
  for await (const page of manifestPages(db(), run.id)) {
    for (const batch of page) {
      yield (first ? "" : ",") + JSON.stringify(batch);
      first = false;
    }
  }
  yield "]}";
}

/**
 * A run's manifest as a download, streamed page by page: `?format=json`
 * (batches with their SHA-256) or `?format=csv` (one line per item). An
 * error midway aborts the download.
 */
export async function GET(request: Request, context: { params: Promise<{ runId: string }> }) {
  const caller = await apiCaller(request, "read");
  if (caller instanceof Response) return caller;
  const { runId } = await context.params;
  if (!isRecordUuid(runId)) return problem(400, `runId: "${runId}" is not a run id.`);
  const run = await db().purgeRun.findUnique({ where: { id: runId } });
  if (!run) return problem(404, `No purge run ${runId}.`);
  const format = new URL(request.url).searchParams.get("format") ?? "json";
  if (format !== "json" && format !== "csv") return problem(400, "format must be json or csv.");
  const name = `lethe-run-${run.id}.${format}`;
  if (format === "json") return download(jsonManifest(run), { type: "application/json", name });
  return download(
    csvFile(["run_id", "batch_no", "org_id", "category", "item_id", "batch_sha256"], itemRows(run)),
    { type: "text/csv; charset=utf-8", name },
  );
}
