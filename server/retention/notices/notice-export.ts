import type { RetentionCategory } from "../../generated/prisma/enums";
import type { Engine } from "../deps";
import { requestExport } from "../exports/exports";
import { exportableCategories } from "../exports/due";
import { exportLink } from "../exports/link";
import { sql } from "../sql";

/** The export a notice links to: what the org can download before the deletion. */
export type NoticeExport = { id: string; url: string; expiresAt: string } | null;

/**
 * The notice's export of what it tells (its categories, due within its lead
 * time), requested by the first of its deliveries and shared by the others
 * and by every retry: the notice's lock makes a second delivery wait for the
 * first's request, then find it. Its link is signed for the export's whole
 * life, so a tenant downloads it without a console login; it answers "being
 * prepared" until the worker has built it. None where this deployment signs
 * no links (NEXTAUTH_SECRET and NEXTAUTH_URL unset).
 */
export async function noticeExport(
  engine: Engine,
  scope: {
    noticeId: string;
    orgId: number;
    categories: RetentionCategory[];
    withinDays: number;
  },
): Promise<NoticeExport> {
  if (!engine.exportLinks) return null;
  const exportable = exportableCategories();
  const categories = scope.categories.filter((c) => exportable.includes(c));
  if (categories.length === 0) return null;
  const id = await engine.db.$transaction(async (tx) => {
    await tx.$executeRaw(
      sql`SELECT pg_advisory_xact_lock(hashtext(${`notice-export:${scope.noticeId}`}))`,
    );
    const existing = await tx.export.findUnique({
      where: { noticeId: scope.noticeId },
      select: { id: true },
    });
    if (existing) return existing.id;
    const requested = await requestExport(engine, {
      orgId: scope.orgId,
      categories,
      withinDays: scope.withinDays,
      requestedBy: "system",
      noticeId: scope.noticeId,
    });
    return requested.id;
  });
  const link = await exportLink(engine, id);
  return { id: String(id), url: link.url, expiresAt: link.expiresAt.toISOString() };
}
