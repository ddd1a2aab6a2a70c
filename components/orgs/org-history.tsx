"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { HISTORY_KIND_KEYS, HISTORY_KINDS } from "@/server/console/history-kinds";
import { formatDateTime } from "../format";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { anyOf } from "../ui/field";
import { FilterBar, type FilterControl } from "../ui/filter-bar";
import { QueryBoundary } from "../ui/query-boundary";
import { historyInput, type HistoryFilters } from "./history-input";
import { categoryOutcome, historySentence, type HistoryEntry } from "./history-sentences";

type Filters = HistoryFilters & { page: number };

const CONTROLS: FilterControl<HistoryFilters>[] = [
  {
    key: "kind",
    kind: "select",
    label: "Kind",
    options: anyOf(HISTORY_KIND_KEYS, { any: "Everything", labels: HISTORY_KINDS }),
  },
  { key: "from", kind: "date", label: "From" },
  { key: "to", kind: "date", label: "To" },
];

/**
 * One org's retention history, newest first, a page at a time: "Older"
 * continues after the last entry shown, "Newer" goes back a page.
 */
export function OrgHistory({ orgId }: { orgId: number }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({ kind: "", from: null, to: null, page: 1 });
  // The `after` of each page opened past the first.
  const [trail, setTrail] = useState<string[]>([]);
  const query = useQuery(
    trpc.orgs.history.queryOptions(historyInput(orgId, filters, trail.at(-1))),
  );
  return (
    <div className="flex flex-col gap-4">
      <QueryBoundary query={query} loading={null} error="The organization could not be loaded">
        {(data) => (
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <span className="text-lg font-semibold" data-testid="history-org">
              {data.org.name}
            </span>
            <Badge>{data.org.plan}</Badge>
            <a className="text-sky-700 underline dark:text-sky-400" href={`/evidence?org=${orgId}`}>
              Evidence pack for this org
            </a>
            <Link
              className="text-sky-700 underline dark:text-sky-400"
              href={`/orgs/${orgId}/notices`}
            >
              Notices
            </Link>
          </div>
        )}
      </QueryBoundary>
      <FilterBar
        className="mb-0"
        filters={filters}
        onChange={(next) => {
          setFilters((f) => ({ ...f, ...next }));
          setTrail([]);
        }}
        controls={CONTROLS}
      />
      <QueryBoundary
        query={query}
        loading="Loading the history…"
        error="The history could not be loaded"
      >
        {(data) => (
          <Card>
            {data.entries.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                Nothing in this period{filters.kind ? " of this kind" : ""}.
              </p>
            ) : (
              <ol
                aria-label="Retention history, newest first"
                className="divide-y divide-zinc-200 dark:divide-zinc-800"
              >
                {data.entries.map((entry) => (
                  <HistoryItem key={entry.key} entry={entry} />
                ))}
              </ol>
            )}
            <nav aria-label="History pages" className="mt-4 flex items-center gap-3 text-sm">
              <Button
                variant="secondary"
                size="sm"
                disabled={trail.length === 0}
                onClick={() => setTrail((t) => t.slice(0, -1))}
              >
                Newer
              </Button>
              <span>Page {trail.length + 1}</span>
              <Button
                variant="secondary"
                size="sm"
                disabled={!data.next}
                onClick={() => data.next && setTrail((t) => [...t, data.next as string])}
              >
                Older
              </Button>
            </nav>
          </Card>
        )}
      </QueryBoundary>
    </div>
  );
}

const link = "text-sky-700 underline dark:text-sky-400";

function HistoryItem({ entry }: { entry: HistoryEntry }) {
  return (
    <li className="flex flex-col gap-1 py-3" data-testid="history-entry">
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {formatDateTime(entry.at)}
        {entry.actor ? ` · by ${entry.actor}` : ""}
      </p>
      <p className="text-sm font-medium">{historySentence(entry)}</p>
      {entry.kind === "run" && entry.categories.length > 0 ? (
        <ul className="ml-4 list-disc text-sm text-zinc-700 dark:text-zinc-300">
          {entry.categories.map((c) => (
            <li key={c.category}>{categoryOutcome(c)}</li>
          ))}
        </ul>
      ) : null}
      <EntryLinks entry={entry} />
    </li>
  );
}

function EntryLinks({ entry }: { entry: HistoryEntry }) {
  if (entry.kind === "run")
    return (
      <p className="flex flex-wrap gap-3 text-sm">
        <Link className={link} href={`/runs/${entry.runId}`}>
          Run {entry.runId.slice(0, 8)}
        </Link>
        <a className={link} href={`/api/runs/${entry.runId}/manifest?format=csv`} download>
          Manifest (CSV)
        </a>
        <a className={link} href={`/api/runs/${entry.runId}/manifest?format=json`} download>
          Manifest (JSON)
        </a>
      </p>
    );
  if (entry.kind === "preview")
    return (
      <Link className={`${link} text-sm`} href={`/purge/${entry.id}`}>
        Preview {entry.id.slice(0, 8)}
      </Link>
    );
  if (entry.kind === "hold" && entry.incidentId !== null)
    return (
      <Link className={`${link} text-sm`} href={`/incidents/${entry.incidentId}`}>
        Incident #{entry.incidentId}
      </Link>
    );
  if (entry.kind === "restore")
    return (
      <Link className={`${link} text-sm`} href={`/runs/${entry.runId}`}>
        Its run {entry.runId.slice(0, 8)}
      </Link>
    );
  if (entry.kind === "erasure" && entry.event === "approved" && entry.runId)
    return (
      <Link className={`${link} text-sm`} href={`/runs/${entry.runId}`}>
        Its run {entry.runId.slice(0, 8)}
      </Link>
    );
  return null;
}
