import type { RetentionCategory } from "../../generated/prisma/enums";
import type { Engine } from "../deps";

/** The export a notice links to: what the org can download before the deletion. */
export type NoticeExport = { id: string; url: string; expiresAt: string } | null;

/** The org's export of what falls due; wired at merge to the export builder, none until then. */
export async function noticeExport(
  _engine: Engine,
  _scope: { orgId: number; categories: RetentionCategory[]; withinDays: number },
): Promise<NoticeExport> {
  return null;
}
