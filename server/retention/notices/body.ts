import type { RetentionCategory } from "../../generated/prisma/enums";
import { CATEGORY_LABELS } from "../categories/labels";
import { addDays } from "../policy/effective-window";
import type { NoticeExport } from "./notice-export";
import { isoDay } from "../../calendar-day";

/**
 * What a tenant receives, the webhook's JSON and the email's facts alike:
 * ids, counts and dates, never an item's content.
 */
export type NoticeBody = {
  type: "retention.notice";
  id: string;
  org: { id: number; name: string };
  createdAt: string;
  leadDays: number;
  firstDueDate: string;
  categories: {
    category: RetentionCategory;
    label: string;
    items: number;
    bytes: number;
    firstDueDate: string;
  }[];
  export: NoticeExport;
  /** With the plan's notice period: nothing it tells of is deleted before this day. */
  noticePeriodUntil?: string;
};

export type NoticeFacts = {
  id: string;
  createdAt: Date;
  leadDays: number;
  firstDueDate: Date;
  org: { id: number; name: string };
  categories: {
    category: RetentionCategory;
    items: bigint;
    bytes: bigint;
    firstDueDate: Date;
  }[];
  noticePeriod: boolean;
};

/**
 * The due days a notice tells: with a notice period, nothing told is
 * deleted before its end, so no day it names is earlier than that. The
 * console's delivery log shows the same days.
 */
export function toldDays(notice: { noticePeriod: boolean; createdAt: Date; leadDays: number }) {
  const until = notice.noticePeriod ? isoDay(addDays(notice.createdAt, notice.leadDays)) : null;
  return { until, due: (at: Date) => (until && until > isoDay(at) ? until : isoDay(at)) };
}

export function noticeBody(notice: NoticeFacts, exported: NoticeExport): NoticeBody {
  const { until, due } = toldDays(notice);
  return {
    type: "retention.notice",
    id: notice.id,
    org: notice.org,
    createdAt: notice.createdAt.toISOString(),
    leadDays: notice.leadDays,
    firstDueDate: due(notice.firstDueDate),
    categories: notice.categories.map((c) => ({
      category: c.category,
      label: CATEGORY_LABELS[c.category],
      items: Number(c.items),
      bytes: Number(c.bytes),
      firstDueDate: due(c.firstDueDate),
    })),
    export: exported,
    ...(until ? { noticePeriodUntil: until } : {}),
  };
}
