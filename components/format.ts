import { isoDay } from "../server/calendar-day";

const UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];

/** 1536 → "1.5 KB" (powers of 1024, as storage bills them). */
export function formatBytes(bytes: bigint | number): string {
  let value = Number(bytes);
  let unit = 0;
  // From 1,000 of a unit the next one: "1.0 MB", never "1000 KB" (four digits read as a typo).
  while (Math.abs(value) >= 1000 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

const counter = new Intl.NumberFormat("en-US");
export const formatCount = (n: bigint | number) => counter.format(n);

/** 1 → "1 item", 1234 → "1,234 items". */
export const formatItems = (n: number) => `${formatCount(n)} ${n === 1 ? "item" : "items"}`;

export const formatDate = (date: Date | string) => isoDay(new Date(date));

export const formatDateTime = (date: Date | string) =>
  new Date(date).toISOString().slice(0, 16).replace("T", " ") + " UTC";

/** "ARTIFACTS" → "Artifacts", "DRIFT_CHECKS" → "Drift checks". */
export const humanize = (key: string) =>
  key.charAt(0) + key.slice(1).toLowerCase().replace(/_/g, " ");

/** A duration in ms as "1 m 12 s" / "850 ms". */
export function formatDuration(ms: number | null) {
  if (ms === null) return "—";
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} m ${s % 60} s`;
}

/**
 * An estimate of the time a piece of work has left, in round words:
 * "about 2 min left", "about 1 h 10 min left"; "estimating…" before there
 * is a rate to estimate from.
 */
export function formatTimeLeft(seconds: number | null) {
  if (seconds === null) return "estimating…";
  if (seconds < 60) return "less than a minute left";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = `about ${Math.floor(minutes / 60)} h`;
  return minutes % 60 === 0 ? `${hours} left` : `${hours} ${minutes % 60} min left`;
}
