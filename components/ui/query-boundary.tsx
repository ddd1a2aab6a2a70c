import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { RequestError } from "../trpc/retryable";
import { ErrorBlock, LoadingBlock } from "./states";

/**
 * A query's data once it is there: until then the loading block, and if it
 * failed, what failed and why (with a retry where asking again might help).
 */
export function QueryBoundary<T, E extends RequestError>(props: {
  query: UseQueryResult<T, E>;
  /** What the loading block says; null for a part that shows only once it has something. */
  loading?: string | null;
  /** What could not be loaded, e.g. "Incidents could not be loaded". */
  error: string;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.isPending)
    return props.loading === null ? null : <LoadingBlock label={props.loading} />;
  if (query.isError) return <ErrorBlock title={props.error} query={query} />;
  return props.children(query.data);
}
