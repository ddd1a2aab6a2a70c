import { download, errorResponse, problem } from "@/app/api/_lib/http";
import { appEngine } from "@/server/app-engine";
import { openExportDownload } from "@/server/retention/exports/download";

export const dynamic = "force-dynamic";

/**
 * An export, through the link the server signed (a notice carries it, the
 * console shows it to an ADMIN): no login, the signature is the credential.
 * A forged link is refused as an unknown one, so ids leak nothing; 409 while
 * it is prepared, 410 once expired; a redirect to a presigned URL (S3) or
 * the file streamed (local folder).
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  const query = new URL(request.url).searchParams;
  const refused = problem(
    403,
    "This download link is not valid: use the link exactly as it was sent, or ask whoever sent it for a new one (an ADMIN of the console copies it from the org's Exports page).",
  );
  if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2 ** 31 - 1) return refused;
  try {
    const opened = await openExportDownload(await appEngine(), Number(id), {
      expires: query.get("expires"),
      signature: query.get("signature"),
    });
    switch (opened.kind) {
      case "refused":
        return refused;
      case "gone":
        return problem(410, opened.why);
      case "preparing": {
        const preparing = problem(409, opened.why);
        preparing.headers.set("retry-after", "60");
        preparing.headers.set("cache-control", "no-store");
        return preparing;
      }
      case "redirect":
        return new Response(null, {
          status: 302,
          headers: { location: opened.url, "cache-control": "no-store" },
        });
      case "file":
        return download(opened.body, { type: "application/zip", name: opened.name });
    }
  } catch (error) {
    return errorResponse(error);
  }
}
