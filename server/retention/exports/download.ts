import type { Readable } from "node:stream";
import type { Engine } from "../deps";
import { appendAudit } from "../evidence/audit-log";
import { checkExportLink } from "./link";

/** How long the presigned URL a download redirects to works: it is used at once. */
export const PRESIGNED_SECONDS = 10 * 60;

/** What a download link leads to. */
export type ExportDownload =
  | { kind: "refused"; why: string }
  | { kind: "gone"; why: string }
  | { kind: "preparing"; why: string }
  | { kind: "redirect"; url: string }
  | { kind: "file"; name: string; bytes: bigint | null; body: Readable };

/**
 * Follows a signed download link: a forged or unknown link is refused
 * (alike, so an id's existence does not leak); an expired link or export is
 * gone; one still being built says so; a ready one redirects to a short
 * presigned URL (S3) or streams the file (local folder). Each download is
 * audited.
 */
export async function openExportDownload(
  engine: Engine,
  exportId: number,
  presented: { expires: string | null; signature: string | null },
): Promise<ExportDownload> {
  const row = await engine.db.export.findUnique({ where: { id: exportId } });
  const refused = { kind: "refused", why: "This download link is not valid." } as const;
  if (!row) return refused;
  const check = checkExportLink(engine, exportId, presented, row.expiresAt);
  if (check === "forged") return refused;
  if (check === "expired" || row.status === "EXPIRED")
    return {
      kind: "gone",
      why: `Export ${exportId} has expired: its link no longer opens.`,
    };
  // Why it failed is the operators' (the console shows it): the link's holder may be a tenant.
  if (row.status === "FAILED")
    return {
      kind: "gone",
      why: `Export ${exportId} could not be built; ask the team that sent this link for a new one.`,
    };
  if (row.status !== "READY" || !row.objectKey)
    return {
      kind: "preparing",
      why: `Export ${exportId} is being prepared; try again in a few minutes.`,
    };
  const name = `lethe-export-${exportId}.zip`;
  const url = await engine.store.downloadUrl(row.objectKey, PRESIGNED_SECONDS, name);
  const body = url ? null : await engine.store.read(row.objectKey);
  if (!url && !body) return { kind: "gone", why: `Export ${exportId} is no longer stored.` };
  await engine.db.$transaction((tx) =>
    appendAudit(tx, {
      actor: "system",
      action: "export.downloaded",
      orgId: row.orgId,
      target: `export:${exportId}`,
      details: { via: "signed link", sha256: row.sha256 },
    }),
  );
  if (url) return { kind: "redirect", url };
  return { kind: "file", name, bytes: row.bytes, body: body as Readable };
}
