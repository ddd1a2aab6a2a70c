import type { ReviewReason } from "../../generated/prisma/enums";
import { LEAST_HISTORY } from "./pause";

type Finding = {
  reason: ReviewReason;
  count: number;
  baseline: number | null;
  historyRuns: number;
  windowWas: number | null;
  windowDays: number | null;
  moreItems: number | null;
};

const count = (n: number) => n.toLocaleString("en-US");

/**
 * Why the guard paused a task, in the words its review and its rejected
 * items show: "was 90 days, now 30; 12,400 more items", or
 * "2,400 items against a baseline of 800 (the median of its last 14 daily runs)".
 */
export function reviewReasonText(f: Finding): string {
  if (f.reason === "SHRUNK_WINDOW")
    return `was ${f.windowWas ?? "?"} days, now ${f.windowDays ?? "?"}; ${count(f.moreItems ?? 0)} more items`;
  const source =
    f.historyRuns >= LEAST_HISTORY
      ? `the median of its last ${f.historyRuns} daily runs`
      : "what the forecast had due: too few daily runs to compare with";
  return `${count(f.count)} items against a baseline of ${count(f.baseline ?? 0)} (${source})`;
}
