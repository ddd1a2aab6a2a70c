import { formatBytes, formatCount, formatDuration } from "../format";
import { column, figureColumn } from "../ui/columns";

/** What a task or a sweep has done so far, as its tally counts it. */
type Tally = {
  deleted: number;
  skipped: number;
  failed: number;
  bytesFreed: bigint;
  batches: number;
  longestBatchMs: number;
  lastError: string | null;
  /** A task of a category that archives (prompts): its "deleted" items were archived. */
  archives?: boolean;
};

/** Deleted, skipped, failed and bytes freed: the same four figures for tasks and sweeps. */
export const tallyColumns = <T extends Tally>() => [
  figureColumn<T>("Deleted", "deleted", (r) =>
    r.archives ? `${formatCount(r.deleted)} archived` : formatCount(r.deleted),
  ),
  figureColumn<T>("Skipped", "skipped", (r) => formatCount(r.skipped)),
  figureColumn<T>("Failed", "failed", (r) => formatCount(r.failed)),
  figureColumn<T>("Bytes freed", "bytes", (r) => formatBytes(r.bytesFreed)),
];

export const longestBatchColumn = <T extends Tally>() =>
  figureColumn<T>(
    () => <span title="How long its longest batch held its rows' locks">Longest batch</span>,
    "longest",
    (r) => (r.batches > 0 ? formatDuration(r.longestBatchMs) : "—"),
  );

/** The last error, cut to the column's width; the whole of it in the title. */
export const errorColumn = <T extends Tally>() =>
  column<T>("Error", "error", (r) => (
    <span
      className="block max-w-xs truncate text-red-800 dark:text-red-300"
      title={r.lastError ?? undefined}
    >
      {r.lastError ?? ""}
    </span>
  ));
