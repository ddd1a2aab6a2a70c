import type { RetentionCategory } from "../../generated/prisma/enums";
import type { Engine } from "../deps";
import { requestExport } from "../exports/exports";
import { exportableCategories } from "../exports/due";
import { exportLink } from "../exports/link";
import { sql } from "../sql";

/** The export a notice links to: what the org can download before the deletion. */
export type NoticeExport = { id: string; url: string; expiresAt: string } | null;

type NoticeScope = {
  noticeId: string;
  orgId: number;
  categories: RetentionCategory[];
  withinDays: number;
};

/**
 * The notice's export of what it tells (its categories, due within its lead
 * time), requested as the notice is written, so it is built before a run
 * deletes what it tells of (a notice's unbuilt export holds those items:
 * period.ts); requested again by a delivery if a crash came between. The
 * notice's lock makes a second request wait for the first, then find it.
 * Null when the notice tells of no exportable category.
 */
export async function requestNoticeExport(
  engine: Engine,
  scope: NoticeScope,
): Promise<number | null> {
  const exportable = exportableCategories();
  const categories = scope.categories.filter((c) => exportable.includes(c));
  if (categories.length === 0) return null;
  return engine.db.$transaction(async (tx) => {
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
}

/**
 * What a delivery links to: the notice's export, its link signed for the
 * export's whole life, so a tenant downloads it without a console login;
 * it answers "being prepared" until the export is built. A process that
 * sends notices signs links (a production worker refuses to start without
 * NEXTAUTH_SECRET and NEXTAUTH_URL); elsewhere, none.
 */
export async function noticeExport(engine: Engine, scope: NoticeScope): Promise<NoticeExport> {
  const id = await requestNoticeExport(engine, scope);
  if (id === null || !engine.exportLinks) return null;
  const link = await exportLink(engine, id);
  return { id: String(id), url: link.url, expiresAt: link.expiresAt.toISOString() };
}
