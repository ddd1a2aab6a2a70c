import type { ColumnDef, ColumnMeta } from "@tanstack/react-table";
import type { ReactNode } from "react";

/** A column showing what `value` makes of each row. */
export function column<T>(
  header: ColumnDef<T, unknown>["header"],
  id: string,
  value: (row: T) => ReactNode,
  meta?: ColumnMeta<T, unknown>,
): ColumnDef<T, unknown> {
  return { header, id, meta, cell: ({ row }) => value(row.original) };
}

/** A column of figures (counts, bytes, shares, durations): right-aligned, digits of equal width. */
export const figureColumn = <T,>(
  header: ColumnDef<T, unknown>["header"],
  id: string,
  value: (row: T) => ReactNode,
) => column(header, id, value, { figure: true });

/** The last column: a row's buttons, under a heading only screen readers read. */
export const actionsColumn = <T,>(value: (row: T) => ReactNode) =>
  column(() => <span className="sr-only">Actions</span>, "actions", value, {
    className: "text-right",
  });
