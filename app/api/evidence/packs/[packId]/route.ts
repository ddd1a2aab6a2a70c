import { apiCaller, download, errorResponse, problem } from "@/app/api/_lib/http";
import { appEngine } from "@/server/app-engine";
import { hasRole } from "@/server/auth/roles";
import { idFromPath } from "@/server/record-id";
import { openPack } from "@/server/retention/evidence/pack/packs";

export const dynamic = "force-dynamic";

/** A built evidence pack, streamed from the bucket to an ADMIN; the download is audited. */
export async function GET(request: Request, context: { params: Promise<{ packId: string }> }) {
  const caller = await apiCaller(request, "read");
  if (caller instanceof Response) return caller;
  if (!hasRole(caller.role, "ADMIN"))
    return problem(403, `Evidence packs need the ADMIN role; this caller is ${caller.role}.`);
  const { packId } = await context.params;
  const id = idFromPath(packId);
  if (id === null) return problem(400, `packId: "${packId}" is not an evidence pack id.`);
  try {
    const pack = await openPack(await appEngine(), { actor: caller, packId: id });
    return download(pack.body, { type: "application/zip", name: pack.name });
  } catch (error) {
    return errorResponse(error);
  }
}
