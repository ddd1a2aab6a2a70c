import type { Header, RowData } from "@tanstack/react-table";
import { flexRender } from "@tanstack/react-table";
import { ArrowDown, ArrowUp } from "lucide-react";
import { cn } from "./cn";

declare module "@tanstack/react-table" {
  // The parameters must match the library's declaration to merge with it.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Counts, bytes, shares, durations: right-aligned, digits of equal width. */
    figure?: boolean;
    /** Long text (a reason, details) wraps instead of widening the table. */
    wrap?: boolean;
    /** The column that names its row, announced as the row's header. */
    rowHeader?: boolean;
    /** Anything else this column's cells need (a monospace id, a capped width). */
    className?: string;
  }
}

type Meta = { figure?: boolean; wrap?: boolean; rowHeader?: boolean; className?: string };

/** How a table sits: framed on its own, or flush inside a card that frames it. */
export const FRAME = {
  framed: {
    wrapper: "overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800",
    head: "bg-zinc-50 text-xs text-zinc-600 uppercase dark:bg-zinc-900 dark:text-zinc-400",
    body: "divide-y divide-zinc-200 bg-white dark:divide-zinc-800 dark:bg-zinc-950",
    pad: "px-3 py-2",
  },
  flush: {
    wrapper: "overflow-x-auto",
    head: "text-xs text-zinc-600 uppercase dark:text-zinc-400",
    body: "divide-y divide-zinc-200 dark:divide-zinc-800",
    pad: "px-3 py-2 first:pl-0 last:pr-0",
  },
} as const;

export type Frame = (typeof FRAME)[keyof typeof FRAME];

function headerClass(frame: Frame, meta: Meta | undefined) {
  return cn(frame.pad, "font-medium whitespace-nowrap", meta?.figure && "text-right");
}

export function cellClass(frame: Frame, meta: Meta | undefined) {
  return cn(
    frame.pad,
    meta?.figure && "text-right tabular-nums",
    !meta?.wrap && "whitespace-nowrap",
    meta?.rowHeader && "font-medium",
    meta?.className,
  );
}

/** A column's heading; a sortable one is a button that says which way it sorts. */
export function HeaderCell<T>({ header, frame }: { header: Header<T, unknown>; frame: Frame }) {
  const sorted = header.column.getIsSorted();
  const content = flexRender(header.column.columnDef.header, header.getContext());
  return (
    <th
      scope="col"
      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
      className={headerClass(frame, header.column.columnDef.meta)}
    >
      {header.column.getCanSort() ? (
        <button
          type="button"
          onClick={header.column.getToggleSortingHandler()}
          className="inline-flex items-center gap-1 uppercase hover:text-zinc-900 dark:hover:text-zinc-100"
        >
          {content}
          {sorted === "asc" ? <ArrowUp aria-hidden className="size-3" /> : null}
          {sorted === "desc" ? <ArrowDown aria-hidden className="size-3" /> : null}
        </button>
      ) : (
        content
      )}
    </th>
  );
}
