import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { CATEGORY_COLORS } from "../charts/palette";
import { formatBytes, formatCount } from "../format";

type Due = { category: RetentionCategory; items: number; bytes: bigint };

/**
 * What is due today or earlier, as one figure and one bar of its
 * categories: the next run takes it all at once, so it is not a day of the
 * daily flow's chart, whose scale it would flatten.
 */
export function OverdueBacklog({ backlog }: { backlog: Due[] }) {
  const items = backlog.reduce((n, d) => n + d.items, 0);
  const bytes = backlog.reduce((n, d) => n + d.bytes, 0n);
  if (items === 0)
    return (
      <p className="mb-3 text-sm text-zinc-500 dark:text-zinc-400" data-testid="overdue-backlog">
        Nothing overdue with these filters.
      </p>
    );
  const parts = [...backlog].sort((a, b) => b.items - a.items);
  const described = parts
    .map((d) => `${CATEGORY_LABELS[d.category]} ${formatCount(d.items)}`)
    .join(", ");
  return (
    <div className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950/40">
      <p className="text-sm" data-testid="overdue-backlog">
        <strong className="text-base" data-testid="overdue-backlog-items">
          {formatCount(items)}
        </strong>{" "}
        items overdue · {formatBytes(bytes)}, taken by the next run
        <span className="text-zinc-500 dark:text-zinc-400"> (due today or earlier)</span>
      </p>
      <div
        role="img"
        aria-label={`Overdue by category: ${described}`}
        className="mt-2 flex h-3 w-full overflow-hidden rounded-sm"
      >
        {parts.map((d) => (
          <div
            key={d.category}
            title={`${CATEGORY_LABELS[d.category]}: ${formatCount(d.items)}`}
            style={{
              width: `${(100 * d.items) / items}%`,
              background: CATEGORY_COLORS[d.category],
            }}
          />
        ))}
      </div>
    </div>
  );
}
