"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useDeferredValue, useState } from "react";
import type { DriftStatus } from "@/server/generated/prisma/enums";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { Field, Input, Select } from "../ui/field";
import { Pagination } from "../ui/pagination";
import { ErrorBlock, LoadingBlock } from "../ui/states";
import { RelativeTime } from "../ui/relative-time";

const BADGE: Record<DriftStatus, { tone: "good" | "bad" | "neutral"; label: string }> = {
  IN_SYNC: { tone: "good", label: "in sync" },
  DRIFT: { tone: "bad", label: "drift" },
  UNKNOWN: { tone: "neutral", label: "unknown" },
};

/** Each environment's drift badge and "Checked X ago", from its latest retained check. */
export function EnvironmentList() {
  const trpc = useTRPC();
  const initial = useSearchParams().get("q") ?? "";
  const [search, setSearch] = useState(initial);
  const [status, setStatus] = useState<DriftStatus | "">("");
  const [page, setPage] = useState(1);
  const deferred = useDeferredValue(search);
  const query = useQuery(
    trpc.environments.list.queryOptions({
      search: deferred || undefined,
      status: status || undefined,
      page,
      pageSize: 50,
    }),
  );
  return (
    <>
      <Card className="mb-4">
        <div className="flex flex-wrap items-end gap-3">
          <Field id="env-search" label="Search">
            <Input
              id="env-search"
              placeholder="Organization or environment"
              className="w-64"
              value={search}
              onChange={(e) => {
                setSearch(e.target.value);
                setPage(1);
              }}
            />
          </Field>
          <Field id="env-status" label="Drift">
            <Select
              id="env-status"
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as DriftStatus | "");
                setPage(1);
              }}
            >
              <option value="">Any</option>
              <option value="IN_SYNC">In sync</option>
              <option value="DRIFT">Drift</option>
              <option value="UNKNOWN">Unknown</option>
            </Select>
          </Field>
        </div>
      </Card>
      {query.isPending ? (
        <LoadingBlock label="Loading environments…" />
      ) : query.isError ? (
        <ErrorBlock title="Environments could not be loaded" query={query} />
      ) : (
        <>
          <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {query.data.environments.map((e) => (
              <li key={e.id}>
                <Card>
                  <div className="flex items-center justify-between gap-2">
                    <p className="font-medium">{e.name}</p>
                    {e.status ? (
                      <Badge tone={BADGE[e.status].tone}>{BADGE[e.status].label}</Badge>
                    ) : (
                      <Badge>no checks</Badge>
                    )}
                  </div>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    {e.orgName} · {e.plan}
                  </p>
                  <p className="mt-1 text-sm" data-testid="checked-ago">
                    {e.checkedAt ? (
                      <>
                        Checked <RelativeTime date={e.checkedAt} />
                      </>
                    ) : (
                      "Never checked"
                    )}
                  </p>
                  {e.status === "DRIFT" ? (
                    <p className="text-xs text-zinc-500">
                      {e.modified} modified · {e.notInGit} not in git · {e.unknown} unknown
                    </p>
                  ) : null}
                </Card>
              </li>
            ))}
          </ul>
          {query.data.environments.length === 0 ? (
            <p className="py-6 text-center text-sm text-zinc-500">No environments match.</p>
          ) : null}
          <Pagination
            page={page}
            pageSize={50}
            total={query.data.total}
            onPage={setPage}
            label="Environments"
          />
        </>
      )}
    </>
  );
}
