import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useCan } from "../shell/user-context";
import type { RequestError } from "../trpc/retryable";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { actionsColumn } from "../ui/columns";
import { DataTable, type DataTableProps } from "../ui/data-table";
import { QueryBoundary } from "../ui/query-boundary";

/**
 * What admins govern (org overrides, legal holds): the ones in force, then
 * the admins' form for one more, folded; anyone else is told who may.
 */
export function GovernedList<T>(props: {
  title: string;
  query: UseQueryResult<T[], RequestError>;
  error: string;
  table: Omit<DataTableProps<T>, "data">;
  /** What an admin may do to one of them: end it. */
  end: { label: string; pending: boolean; run: (row: T) => void };
  form: { summary: string; refusal: string; children: ReactNode };
}) {
  const isAdmin = useCan("ADMIN");
  const { end } = props;
  const ending = actionsColumn<T>((row) =>
    isAdmin ? (
      <Button variant="ghost" size="sm" disabled={end.pending} onClick={() => end.run(row)}>
        {end.label}
      </Button>
    ) : null,
  );
  return (
    <Card className="mb-6">
      <CardTitle>{props.title}</CardTitle>
      <QueryBoundary query={props.query} error={props.error}>
        {(rows) => (
          <DataTable
            flush
            className="mb-4"
            data={rows}
            {...props.table}
            columns={[...props.table.columns, ending]}
          />
        )}
      </QueryBoundary>
      {isAdmin ? (
        <details className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
          <summary className="cursor-pointer text-sm font-medium">{props.form.summary}</summary>
          <div className="mt-3">{props.form.children}</div>
        </details>
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">{props.form.refusal}</p>
      )}
    </Card>
  );
}
