import { AppError } from "../../errors";
import { raw, sql, type Sql, type Tx } from "../sql";

/** A foreign key of a restorable table: its column, what it references, and its ON DELETE rule. */
type Reference = {
  column: string;
  target: string;
  targetColumn: string;
  targetType: string;
  setNull: boolean;
};

/**
 * The single-column foreign keys of `table`, read from the catalog, so a
 * restore follows every reference the schema declares, now and later.
 */
async function referencesOf(tx: Tx, table: string): Promise<Reference[]> {
  return tx.$queryRaw<Reference[]>(sql`
    SELECT a.attname::text AS "column", quote_ident(f.relname) AS target,
           quote_ident(af.attname) AS "targetColumn", format_type(af.atttypid, af.atttypmod) AS "targetType",
           c.confdeltype = 'n' AS "setNull"
    FROM pg_constraint c
    JOIN pg_class f ON f.oid = c.confrelid
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
    WHERE c.contype = 'f' AND c.conrelid = ${table}::regclass AND cardinality(c.conkey) = 1
    ORDER BY c.conname`);
}

/**
 * Whether the kept row `k` references a row of `r.target` that is gone: the
 * kept value cast to the referenced column's type, so the lookup is one
 * probe of that column's key, not a scan.
 */
const dangling = (r: Reference): Sql => sql`(k.row ->> ${r.column} IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ${raw(r.target)} x
                  WHERE x.${raw(r.targetColumn)} = (k.row ->> ${r.column})::${raw(r.targetType)}))`;

/**
 * What a restore must do about what its kept rows referenced and is gone
 * meanwhile, decided per foreign key by its own ON DELETE rule:
 *
 * - ON DELETE SET NULL (an artifact's member, an image analysis's
 *   artifact): had the row stayed, deleting what it referenced would have
 *   set the reference to null, so the row comes back with it null, as the
 *   SaaS itself would have left it. `restoredRow` is that row. (An image
 *   analysis whose artifact waits in its own window comes back without it;
 *   the artifact's restore points it back.)
 * - Any other rule (RESTRICT: a row's org, an approval's or a payload's
 *   incident, a backup's environment): the referenced row could not have
 *   been deleted while this row existed, so no consistent state has this
 *   row back: `refuse` names the first such item and what is missing.
 */
export async function restoreReferences(tx: Tx, table: string) {
  const references = await referencesOf(tx, table);
  let restoredRow = sql`k.row`;
  for (const r of references.filter((r) => r.setNull))
    restoredRow = sql`jsonb_set(${restoredRow}, ${`{${r.column}}`}::text[],
      CASE WHEN ${dangling(r)} THEN 'null'::jsonb ELSE coalesce(k.row -> ${r.column}, 'null') END)`;
  const required = references.filter((r) => !r.setNull);
  return {
    restoredRow,
    /** Refuses, changing nothing, when a kept row of `where` (over `k`) references a row that is gone. */
    async refuse(where: Sql, what: string) {
      for (const r of required) {
        const [missing] = await tx.$queryRaw<{ item_id: number; value: string }[]>(sql`
          SELECT k.item_id, k.row ->> ${r.column} AS value FROM kept_items k
          WHERE ${where} AND ${dangling(r)} ORDER BY k.id LIMIT 1`);
        if (missing)
          throw new AppError(
            "PRECONDITION",
            `${what} cannot be restored: item ${missing.item_id} references ${r.target} ${missing.value} (its ${r.column}), which no longer exists. Nothing was restored.`,
          );
      }
    },
  };
}
