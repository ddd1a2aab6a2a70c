import { AppError } from "../errors";
import { empty, sql, type Sql } from "../retention/sql";

/**
 * An org's history is read newest first from several tables at once. Each
 * entry has a place in one order (its time, then its kind's rank, then its
 * id), and a page resumes after the last entry shown: every table answers
 * only what lies after that place, from an index, so an org with years of
 * daily runs reads a page's worth whatever page it is on.
 */
export type Place = { at: Date; rank: number; id: string };

/**
 * Each reader's rank, which orders entries of the same moment: one digit,
 * one per reader.
 */
export const RANKS = {
  pin: 9,
  notice: 8,
  restore: 7,
  run: 6,
  preview: 5,
  holdPlaced: 4,
  holdReleased: 3,
  override: 2,
  erasureRequested: 1,
  erasureDecided: 0,
} as const;

/** What a page asks of each table: its org and period, and where the last page stopped. */
export type HistoryWindow = {
  orgId: number;
  from?: Date;
  to?: Date;
  after: Place | null;
  limit: number;
};

/** How a table's id compares: numbers as numbers, uuids byte by byte in SQL and in JS alike. */
export type IdKind = "int" | "text";

/** The SQL that keeps a table's rows to the window's period and to after its place. */
export function inWindow(at: Sql, id: Sql, idKind: IdKind, rank: number, w: HistoryWindow): Sql {
  const period = sql`${w.from ? sql`AND ${at} >= ${w.from}` : empty} ${w.to ? sql`AND ${at} <= ${w.to}` : empty}`;
  const c = w.after;
  if (!c) return period;
  if (rank > c.rank) return sql`${period} AND ${at} < ${c.at}`;
  if (rank < c.rank) return sql`${period} AND ${at} <= ${c.at}`;
  const before = idKind === "int" ? sql`${id} < ${Number(c.id)}` : sql`${id} COLLATE "C" < ${c.id}`;
  return sql`${period} AND (${at} < ${c.at} OR (${at} = ${c.at} AND ${before}))`;
}

/** The window's order as SQL for one table: newest first, ties by id. */
export const newestFirst = (at: Sql, id: Sql, idKind: IdKind): Sql =>
  idKind === "int"
    ? sql`ORDER BY ${at} DESC, ${id} DESC`
    : sql`ORDER BY ${at} DESC, ${id} COLLATE "C" DESC`;

function compareIds(a: string, b: string) {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Newest first: the same order as `newestFirst`, across tables. */
export const byPlace = (a: Place, b: Place) =>
  b.at.getTime() - a.at.getTime() || b.rank - a.rank || compareIds(b.id, a.id);

/** A place as the page's `after` token: "ms.rank.id". */
export const placeToken = (p: Place) => `${p.at.getTime()}.${p.rank}.${p.id}`;

const TOKEN = /^(\d{1,15})\.(\d)\.([0-9a-f-]{1,36})$/;

export function parsePlace(token: string): Place {
  const match = TOKEN.exec(token);
  if (!match)
    throw new AppError(
      "BAD_INPUT",
      "This page of the history does not exist: start again from the newest entries.",
      { field: "after" },
    );
  return { at: new Date(Number(match[1])), rank: Number(match[2]), id: match[3] ?? "" };
}
