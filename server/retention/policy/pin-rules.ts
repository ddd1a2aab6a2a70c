import type { RetentionCategory } from "../../generated/prisma/enums";
import { sql, type Sql, type Tx } from "../sql";
import { isoDay } from "../../calendar-day";

/**
 * The moment a windows relation `w` was frozen at (OrgWindow.asOf). A
 * plan's re-check and a forecast's day read pins at that moment, not at the
 * wall clock: a batch keeps what its plan's asOf saw pinned, the safe side.
 * An erasure's window is frozen at the end of time, which no pin reaches:
 * pins never stop an erasure.
 */
const WINDOW_AS_OF = sql`w.as_of`;

/** The pin row `p` is in force at `at`: not removed, and its date not reached. */
export const pinInForceAt = (at: Sql | Date) =>
  sql`p.removed_at IS NULL AND p.pinned_until > ${at}`;

/** A pin in force at the windows' moment (`w` in scope), on the artifact `artifactId`. */
export const artifactPinned = (artifactId: Sql) => sql`EXISTS (
  SELECT 1 FROM pins p WHERE p.artifact_id = ${artifactId} AND ${pinInForceAt(WINDOW_AS_OF)})`;

/** A pin in force at the windows' moment (`w` in scope), on the incident `incidentId`. */
export const incidentPinned = (incidentId: Sql) => sql`EXISTS (
  SELECT 1 FROM pins p WHERE p.incident_id = ${incidentId} AND ${pinInForceAt(WINDOW_AS_OF)})`;

const ARTIFACT_PINS = sql`
  SELECT artifact_id AS target_id, max(pinned_until) AS pinned_until FROM pins
  WHERE scope = 'ARTIFACT' AND removed_at IS NULL GROUP BY artifact_id`;
const INCIDENT_PINS = sql`
  SELECT incident_id AS target_id, max(pinned_until) AS pinned_until FROM pins
  WHERE scope = 'INCIDENT' AND removed_at IS NULL GROUP BY incident_id`;

/**
 * For the categories a pin covers, the relation (item_id, pinned_until) of
 * the items under a pin that is not removed, whatever its date: a forecast
 * moves such an item's day to its pin's date. A few rows, hashed against
 * the category's items.
 */
const PINNED_ITEMS: Partial<Record<RetentionCategory, Sql>> = {
  ARTIFACTS: sql`SELECT target_id AS item_id, pinned_until FROM (${ARTIFACT_PINS}) x`,
  IMAGE_ANALYSES: sql`
    SELECT a.id AS item_id, x.pinned_until FROM (${ARTIFACT_PINS}) x
    JOIN image_analyses a ON a.artifact_id = x.target_id`,
  INCIDENT_PAYLOADS: sql`SELECT target_id AS item_id, pinned_until FROM (${INCIDENT_PINS}) x`,
  APPROVALS: sql`
    SELECT a.id AS item_id, x.pinned_until FROM (${INCIDENT_PINS}) x
    JOIN approvals a ON a.incident_id = x.target_id`,
};

/** The date an item's pins move it to, as an expression over `e.item_id`, or null. */
export function pinnedUntilOf(category: RetentionCategory): { join: Sql; until: Sql } {
  const pinned = PINNED_ITEMS[category];
  if (!pinned) return { join: sql``, until: sql`NULL::timestamptz` };
  return {
    join: sql`LEFT JOIN (${pinned}) pn ON pn.item_id = e.item_id`,
    until: sql`pn.pinned_until`,
  };
}

export type PinFact = { id: number; pinnedUntil: Date; reason: string; placedBy: string };

/** For each category a pin covers: the pins that cover item `id`, as a condition on `p`. */
const COVERS: Partial<Record<RetentionCategory, (id: number) => Sql>> = {
  ARTIFACTS: (id) => sql`p.artifact_id = ${id}`,
  IMAGE_ANALYSES: (id) =>
    sql`p.artifact_id = (SELECT artifact_id FROM image_analyses WHERE id = ${id})`,
  INCIDENT_PAYLOADS: (id) => sql`p.incident_id = ${id}`,
  APPROVALS: (id) => sql`p.incident_id = (SELECT incident_id FROM approvals WHERE id = ${id})`,
};

/** The pin in force at `at` that keeps this item, for "when and why" and a skip's reason. */
export async function itemPin(
  tx: Tx,
  category: RetentionCategory,
  itemId: number,
  at: Date,
): Promise<PinFact | null> {
  const covers = COVERS[category];
  if (!covers) return null;
  const [row] = await tx.$queryRaw<PinFact[]>(sql`
    SELECT p.id, p.pinned_until AS "pinnedUntil", p.reason, u.name AS "placedBy"
    FROM pins p JOIN users u ON u.id = p.placed_by_id
    WHERE ${pinInForceAt(at)} AND ${covers(itemId)}
    ORDER BY p.pinned_until DESC LIMIT 1`);
  return row ?? null;
}

/** How "when and why" says a pin keeps an item. */
export const pinText = (pin: PinFact) =>
  `pinned until ${isoDay(pin.pinnedUntil)} by ${pin.placedBy}: ${pin.reason}`;
