import type { HistoryKind } from "@/server/console/history-kinds";

const HISTORY_PAGE_SIZE = 25;

/** What the history page narrows to: a kind, and a period of whole days (YYYY-MM-DD). */
export type HistoryFilters = { kind: HistoryKind | ""; from: string | null; to: string | null };

/**
 * The history's input for these filters, the same on the server's first
 * render and in the browser: whole UTC days, both ends included.
 */
export const historyInput = (orgId: number, f: HistoryFilters, after?: string) => ({
  orgId,
  kinds: f.kind ? [f.kind] : undefined,
  from: f.from ? new Date(`${f.from}T00:00:00.000Z`) : undefined,
  to: f.to ? new Date(`${f.to}T23:59:59.999Z`) : undefined,
  after,
  pageSize: HISTORY_PAGE_SIZE,
});
