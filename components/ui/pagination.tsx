"use client";

import { formatCount } from "../format";
import { Button } from "./button";

export type Paging = {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  label: string;
};

/** Previous / next over a server-paged list, with where we are. */
export function Pagination(props: Paging) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav
      aria-label={`${props.label} pages`}
      className="mt-3 flex items-center justify-between gap-2 text-sm"
    >
      <span className="text-zinc-600 dark:text-zinc-400">
        {props.total === 0
          ? "No rows"
          : `Page ${props.page} of ${pages} · ${formatCount(props.total)} ${props.total === 1 ? "row" : "rows"}`}
      </span>
      <div className="flex gap-2">
        <Button
          variant="secondary"
          size="sm"
          disabled={props.page <= 1}
          onClick={() => props.onPage(props.page - 1)}
        >
          Previous
        </Button>
        <Button
          variant="secondary"
          size="sm"
          disabled={props.page >= pages}
          onClick={() => props.onPage(props.page + 1)}
        >
          Next
        </Button>
      </div>
    </nav>
  );
}
