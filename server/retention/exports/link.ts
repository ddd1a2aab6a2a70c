import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { AppError } from "../../errors";
import type { Engine } from "../deps";

/** What signs export links, and the console's public URL they point at. */
export type ExportLinks = { key: Buffer; baseUrl: string };

/**
 * The key export links are signed with, derived from the server's session
 * secret (NEXTAUTH_SECRET) for this one use: a leaked link key would not
 * sign sessions, and no second secret has to be configured.
 */
export const exportLinkKey = (secret: string) =>
  Buffer.from(hkdfSync("sha256", secret, "lethe", "export download links", 32));

const signatureOf = (key: Buffer, exportId: number, expires: number) =>
  createHmac("sha256", key).update(`export:${exportId}:${expires}`).digest("hex");

function linksOf(engine: Engine) {
  if (!engine.exportLinks)
    throw new AppError(
      "PRECONDITION",
      "This process cannot sign export links: NEXTAUTH_SECRET and NEXTAUTH_URL must be set.",
    );
  return engine.exportLinks;
}

/**
 * The download link of an export: signed by the server, so whoever
 * receives it (a tenant, in a notice) downloads without a console login,
 * until the export's own expiry and no later.
 */
export async function exportLink(engine: Engine, exportId: number) {
  const links = linksOf(engine);
  const row = await engine.db.export.findUnique({
    where: { id: exportId },
    select: { expiresAt: true },
  });
  if (!row) throw new AppError("NOT_FOUND", `No export ${exportId}.`);
  const expires = Math.floor(row.expiresAt.getTime() / 1000);
  const url = new URL(`/api/exports/${exportId}/download`, links.baseUrl);
  url.searchParams.set("expires", String(expires));
  url.searchParams.set("signature", signatureOf(links.key, exportId, expires));
  return { url: url.toString(), expiresAt: new Date(expires * 1000) };
}

/**
 * Whether a presented link is one the server signed for this export and
 * still in time: the signature compared in constant time, and an expiry
 * past the export's own refused even when signed.
 */
export function checkExportLink(
  engine: Engine,
  exportId: number,
  presented: { expires: string | null; signature: string | null },
  exportExpiresAt: Date,
): "valid" | "forged" | "expired" {
  const links = linksOf(engine);
  // Only the link exactly as signed: decimal seconds without a leading zero,
  // 64 lowercase hex digits (Buffer.from would take any case and stop at the
  // first non-hex character).
  if (!/^[1-9]\d{0,11}$/.test(presented.expires ?? "")) return "forged";
  if (!/^[0-9a-f]{64}$/.test(presented.signature ?? "")) return "forged";
  const expires = Number(presented.expires);
  const expected = Buffer.from(signatureOf(links.key, exportId, expires), "hex");
  const given = Buffer.from(presented.signature ?? "", "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "forged";
  if (expires * 1000 > exportExpiresAt.getTime()) return "forged";
  return expires * 1000 <= engine.now().getTime() ? "expired" : "valid";
}
