import { isCalendarDay, isStorableDay } from "@/server/calendar-day";
import type { UnusedFilter } from "../ui/unused-filters";

/** The audit log's filters, as the address holds them (`?org=12&actor=user:3&from=2026-11-01`). */
export type AuditFilters = {
  action: string;
  actor: string | null;
  org: number | null;
  from: string | null;
  to: string | null;
  page: number;
};

export const AUDIT_PAGE_SIZE = 50;

const day = (value: string | null) =>
  value && isCalendarDay(value) && isStorableDay(value) ? value : null;
const positive = (value: string | null) => {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

const NOT_A_DAY = "not a day, YYYY-MM-DD";

/**
 * The filters in the address; a value that does not parse is left out
 * rather than refused, and listed in `unused` to say so.
 */
export function readAuditFilters(params: URLSearchParams) {
  const unused: UnusedFilter[] = [];
  function parsed<T>(key: string, parse: (value: string | null) => T | null, why: string) {
    const value = params.get(key);
    const result = parse(value);
    if (value && result === null) unused.push({ key, value, why });
    return result;
  }
  const filters: AuditFilters = {
    action: params.get("action")?.slice(0, 60) ?? "",
    actor: params.get("actor")?.slice(0, 60) || null,
    org: parsed("org", positive, "not an organization id"),
    from: parsed("from", day, NOT_A_DAY),
    to: parsed("to", day, NOT_A_DAY),
    page: parsed("page", positive, "not a page number") ?? 1,
  };
  return { filters, unused };
}

/** The filters in the address, without what was left out. */
export const parseAuditFilters = (params: URLSearchParams) => readAuditFilters(params).filters;

export function auditSearchParams(f: AuditFilters) {
  const params = new URLSearchParams();
  if (f.action) params.set("action", f.action);
  if (f.actor) params.set("actor", f.actor);
  if (f.org) params.set("org", String(f.org));
  if (f.from) params.set("from", f.from);
  if (f.to) params.set("to", f.to);
  if (f.page > 1) params.set("page", String(f.page));
  return params;
}

/** What audit.list is asked for: a period's days whole, in UTC. */
export function auditListInput(f: AuditFilters) {
  return {
    action: f.action || undefined,
    actor: f.actor ?? undefined,
    orgId: f.org ?? undefined,
    from: f.from ? new Date(`${f.from}T00:00:00.000Z`) : undefined,
    to: f.to ? new Date(`${f.to}T23:59:59.999Z`) : undefined,
    page: f.page,
    pageSize: AUDIT_PAGE_SIZE,
  };
}
