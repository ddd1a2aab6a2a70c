import type { Db } from "../db";
import { AppError } from "../errors";
import { actorLabels } from "../retention/evidence/actor-label";
import { erasureEntries, holdEntries, overrideEntries } from "./history-governance";
import { HISTORY_KIND_KEYS, type HistoryKind } from "./history-kinds";
import { byPlace, parsePlace, placeToken, type HistoryWindow } from "./history-keyset";
import { pinEntries } from "./history-pins";
import { previewEntries, runEntries } from "./history-purges";
import { restoreEntries } from "./history-restores";
import { noticeEntries } from "./history-notices";

/**
 * Each kind's tables, read newest first after the page's place.
 */
const READERS: Record<HistoryKind, ((db: Db, w: HistoryWindow, now: Date) => Promise<Found[]>)[]> =
  {
    runs: [runEntries],
    restores: [restoreEntries],
    previews: [previewEntries],
    holds: [(db, w) => holdEntries(db, w, "placed"), (db, w) => holdEntries(db, w, "released")],
    pins: [pinEntries],
    overrides: [overrideEntries],
    erasures: [
      (db, w) => erasureEntries(db, w, "requested"),
      (db, w) => erasureEntries(db, w, "decided"),
    ],
    notices: [noticeEntries],
  };

/** One entry as a reader finds it: its place in the order, who did it, and what the page shows. */
type Found = Awaited<
  ReturnType<
    | typeof runEntries
    | typeof restoreEntries
    | typeof previewEntries
    | typeof holdEntries
    | typeof pinEntries
    | typeof overrideEntries
    | typeof erasureEntries
    | typeof noticeEntries
  >
>[number];

/**
 * One org's retention history, newest first: its runs with what each did
 * per category, restores of what runs purged, previews that did not become
 * runs, legal holds, pins, overrides and GDPR erasures; a page at a time, `after` the place the last page
 * ended (its `next`).
 */
export async function orgHistory(
  db: Db,
  input: {
    orgId: number;
    kinds?: HistoryKind[];
    from?: Date;
    to?: Date;
    after?: string;
    limit: number;
    /** The engine's clock: a preview is open until then. */
    now: Date;
  },
) {
  const org = await db.organization.findUnique({
    where: { id: input.orgId },
    select: { id: true, name: true, plan: true },
  });
  if (!org)
    throw new AppError("NOT_FOUND", `No organization ${input.orgId}: pick one from the list.`);
  const window: HistoryWindow = {
    orgId: org.id,
    from: input.from,
    to: input.to,
    after: input.after ? parsePlace(input.after) : null,
    limit: input.limit + 1,
  };
  const kinds = input.kinds?.length ? input.kinds : HISTORY_KIND_KEYS;
  const read = await Promise.all(
    [...new Set(kinds)].flatMap((kind) =>
      READERS[kind].map((reader) => reader(db, window, input.now)),
    ),
  );
  const merged = read.flat().sort((a, b) => byPlace(a.place, b.place));
  const page = merged.slice(0, input.limit);
  const last = page.at(-1);
  const actorOf = await actorLabels(
    db,
    page.map((found) => found.who),
  );
  return {
    org,
    entries: page.map(({ place, who, entry }) => ({
      ...entry,
      key: placeToken(place),
      at: place.at,
      actor: actorOf(who),
    })),
    next: merged.length > input.limit && last ? placeToken(last.place) : null,
  };
}
