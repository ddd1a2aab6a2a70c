import { apiCaller, errorResponse } from "@/app/api/_lib/http";
import { env } from "@/server/env";
import { evidenceSigningKey } from "@/server/evidence-key";
import { publicKeyPem } from "@/server/retention/evidence/pack/signature";

export const dynamic = "force-dynamic";

/** The public key evidence packs are checked with (npm run evidence:verify -- --public-key FILE). */
export async function GET(request: Request) {
  const caller = await apiCaller(request, "read");
  if (caller instanceof Response) return caller;
  try {
    return new Response(publicKeyPem(evidenceSigningKey(env())), {
      headers: {
        "content-type": "application/x-pem-file",
        "content-disposition": 'attachment; filename="lethe-evidence-public-key.pem"',
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
