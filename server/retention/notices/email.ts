import { formatBytes, formatCount } from "../../../components/format";
import type { NoticeBody } from "./body";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** A notice as an email: subject, plain text and HTML saying the same, every value escaped in HTML. */
export function noticeEmail(body: NoticeBody) {
  const items = body.categories.reduce((sum, c) => sum + c.items, 0);
  const subject = `Lethe: ${formatCount(items)} ${items === 1 ? "item" : "items"} of ${body.org.name} will be deleted from ${body.firstDueDate}`;
  const lines = body.categories.map(
    (c) =>
      `${c.label}: ${formatCount(c.items)} ${c.items === 1 ? "item" : "items"} (${formatBytes(c.bytes)}), from ${c.firstDueDate}`,
  );
  const exported = body.export
    ? `Download an export before then (the link expires ${body.export.expiresAt}): ${body.export.url}`
    : null;
  const intro = body.noticePeriodUntil
    ? `These items of ${body.org.name} fall due for deletion under its retention policy, none before ${body.noticePeriodUntil} (your plan's notice period):`
    : `These items of ${body.org.name} fall due for deletion within ${body.leadDays} days, under its retention policy:`;
  const text = [
    intro,
    "",
    ...lines.map((l) => `- ${l}`),
    "",
    ...(exported ? [exported] : []),
    `Notice ${body.id}`,
  ].join("\n");
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`,
    ...(body.export
      ? [
          `<p><a href="${escapeHtml(body.export.url)}">Download an export</a> before then (the link expires ${escapeHtml(body.export.expiresAt)}).</p>`,
        ]
      : []),
    `<p style="color:#666">Notice ${escapeHtml(body.id)}</p>`,
  ].join("\n");
  return { subject, text, html };
}
