import { apiCaller, errorResponse, json, problem, refuseCrossSite } from "@/app/api/_lib/http";
import { appEngine } from "@/server/app-engine";
import { isRecordUuid } from "@/server/record-uuid";
import { restoreItems } from "@/server/retention/restore/restore";
import { restoreBody } from "@/server/trpc/schemas";

export const dynamic = "force-dynamic";

/**
 * Restores what a run purged and is still in its window (admins, by session
 * or PURGE token): the whole run for `{}`, one org × category for
 * `{"orgId": 7, "category": "ARTIFACTS"}`, one item with `itemId` and its
 * category. The same core call as the console's; answers 200 with what came back.
 */
export async function POST(request: Request, context: { params: Promise<{ runId: string }> }) {
  const refused = refuseCrossSite(request, { bearerTokens: true });
  if (refused) return refused;
  const caller = await apiCaller(request, "restore");
  if (caller instanceof Response) return caller;
  const { runId } = await context.params;
  if (!isRecordUuid(runId)) return problem(400, `runId: "${runId}" is not a run id.`);
  const text = await request.text();
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    return problem(400, 'The body is not JSON: send {} or {"orgId": 7, "category": "ARTIFACTS"}.');
  }
  const input = restoreBody.safeParse(parsed);
  if (!input.success) {
    return problem(
      400,
      input.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    );
  }
  try {
    const restored = await restoreItems(await appEngine(), { runId, ...input.data }, caller);
    return json(restored);
  } catch (error) {
    return errorResponse(error);
  }
}
