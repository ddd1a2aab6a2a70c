"use client";

import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type OnChangeFn,
  type Row,
  type SortingState,
} from "@tanstack/react-table";
import type { ReactNode } from "react";
import { cn } from "./cn";
import { Pagination, type Paging } from "./pagination";
import { cellClass, FRAME, HeaderCell, type Frame } from "./table-cells";

export type DataTableProps<T> = {
  columns: ColumnDef<T, unknown>[];
  data: T[];
  caption: string;
  empty?: ReactNode;
  /** Inside a card, which frames it: no border of its own, its edges in line with the card's. */
  flush?: boolean;
  /** A server-paged table: where we are, with the row count, under it. */
  paging?: Paging;
  /** Server-side sorting: the table only reports what the user asked for. */
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
  onRowClick?: (row: T) => void;
  rowLabel?: (row: T) => string;
  /** A last row: a header under the first column, and one note across the others. */
  summary?: { header: ReactNode; note: ReactNode };
  /** Rows that grow (an opened sample) keep their other cells at the top. */
  alignTop?: boolean;
  testId?: string;
  rowTestId?: string;
  className?: string;
};

/**
 * Every table of the console, small fixed ones included (the what-if figures,
 * the policy windows: a row-header column and the summary row serve them).
 * Sorting and paging are the server's: the table reports what the user asked for.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, onRowClick, rowLabel } = props;
  const frame = props.flush ? FRAME.flush : FRAME.framed;
  // The table instance is rebuilt each render by design; nothing here is memoized by a compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: props.data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    enableSorting: Boolean(props.onSortingChange),
    state: props.sorting ? { sorting: props.sorting } : undefined,
    onSortingChange: props.onSortingChange,
  });
  const rows = table.getRowModel().rows;
  return (
    <>
      {/* A table wider than the screen scrolls: focusable, so a keyboard can scroll it too. */}
      <div
        className={cn(frame.wrapper, props.className)}
        role="region"
        aria-label={props.caption}
        tabIndex={0}
      >
        <table className="w-full text-left text-sm" data-testid={props.testId}>
          <caption className="sr-only">{props.caption}</caption>
          <thead className={frame.head}>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <HeaderCell key={header.id} header={header} frame={frame} />
                ))}
              </tr>
            ))}
          </thead>
          <tbody className={cn(frame.body, props.alignTop && "align-top")}>
            {rows.length === 0 ? (
              <tr>
                <td
                  colSpan={columns.length}
                  className="px-3 py-8 text-center text-zinc-500 dark:text-zinc-400"
                >
                  {props.empty ?? "Nothing to show."}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr
                  key={row.id}
                  data-testid={props.rowTestId}
                  onClick={onRowClick ? () => onRowClick(row.original) : undefined}
                  onKeyDown={
                    onRowClick
                      ? (e) => {
                          if (e.key === "Enter") onRowClick(row.original);
                        }
                      : undefined
                  }
                  tabIndex={onRowClick ? 0 : undefined}
                  aria-label={onRowClick && rowLabel ? rowLabel(row.original) : undefined}
                  className={cn(
                    onRowClick && "cursor-pointer hover:bg-zinc-50 dark:hover:bg-zinc-900",
                  )}
                >
                  <Cells row={row} frame={frame} />
                </tr>
              ))
            )}
          </tbody>
          {props.summary ? (
            <tfoot className="border-t border-zinc-200 dark:border-zinc-800">
              <tr>
                <th scope="row" className={cellClass(frame, { rowHeader: true })}>
                  {props.summary.header}
                </th>
                <td colSpan={columns.length - 1} className={cellClass(frame, { wrap: true })}>
                  {props.summary.note}
                </td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
      {props.paging ? <Pagination {...props.paging} /> : null}
    </>
  );
}

function Cells<T>({ row, frame }: { row: Row<T>; frame: Frame }) {
  return row.getVisibleCells().map((cell) => {
    const meta = cell.column.columnDef.meta;
    const content = flexRender(cell.column.columnDef.cell, cell.getContext());
    return meta?.rowHeader ? (
      <th key={cell.id} scope="row" className={cellClass(frame, meta)}>
        {content}
      </th>
    ) : (
      <td key={cell.id} className={cellClass(frame, meta)}>
        {content}
      </td>
    );
  });
}
