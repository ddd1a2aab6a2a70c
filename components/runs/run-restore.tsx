"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { toast } from "sonner";
import { CATEGORY_LABELS } from "@/server/retention/categories/labels";
import type { AppRouter } from "@/server/trpc/root";
import { formatBytes, formatCount, formatDate, formatItems } from "../format";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { actionsColumn, column, figureColumn } from "../ui/columns";
import { DataTable } from "../ui/data-table";
import { usePagedFilters } from "../ui/filter-bar";
import { QueryBoundary } from "../ui/query-boundary";
import { RestoreDialog, type RestoreChoice } from "./restore-dialog";

type RunWindow = inferRouterOutputs<AppRouter>["restore"]["window"];
type WindowRow = RunWindow["rows"][number];

const rowName = (r: WindowRow) => `${r.orgName} ${CATEGORY_LABELS[r.category].toLowerCase()}`;

/** Where one org × category of the run stands in its restore window, in words (a part may be restored). */
function windowState(r: WindowRow) {
  return (
    <span className="flex flex-wrap gap-1">
      {r.restorable ? (
        <Badge tone="warn">restorable until {formatDate(r.restorable.until)}</Badge>
      ) : null}
      {r.awaiting ? <Badge>{formatItems(r.awaiting.items)} awaiting final deletion</Badge> : null}
      {r.restored ? (
        <Badge tone="good">
          {formatItems(r.restored.items)} restored on {formatDate(r.restored.at)}
        </Badge>
      ) : null}
      {r.finallyDeleted ? (
        <Badge>
          {formatItems(r.finallyDeleted.items)} finally deleted on {formatDate(r.finallyDeleted.at)}
        </Badge>
      ) : null}
    </span>
  );
}

/**
 * What of the run still waits in its restore window, per org × category, and
 * an admin's way to bring it back: one row, or the whole run, after a
 * confirmation that names what comes back. The server checks the role again.
 */
export function RunRestore({ runId, running }: { runId: string; running: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canRestore = useCan("ADMIN");
  const [choice, setChoice] = useState<RestoreChoice | null>(null);
  const { asked, paging } = usePagedFilters({}, 50);
  // While the run works, its batches keep adding to the window.
  const query = useQuery({
    ...trpc.restore.window.queryOptions({ runId, ...asked }),
    refetchInterval: running ? 2000 : false,
  });
  const restore = useMutation(
    trpc.restore.restore.mutationOptions({
      onSuccess: async (restored) => {
        setChoice(null);
        toast.success(
          `Restored ${formatItems(restored.items)} (${formatBytes(restored.bytes)}): back as they were.`,
        );
        await queryClient.invalidateQueries({ queryKey: trpc.restore.window.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.purge.runDetail.queryKey() });
      },
    }),
  );
  const restorable = query.data?.restorable;
  const ask = (next: RestoreChoice) => {
    restore.reset();
    setChoice(next);
  };
  const columns: ColumnDef<WindowRow, unknown>[] = [
    column("Organization", "org", (r) => r.orgName),
    column("Category", "category", (r) => CATEGORY_LABELS[r.category]),
    figureColumn("Restorable items", "items", (r) => formatCount(r.restorable?.items ?? 0)),
    figureColumn("Restorable bytes", "bytes", (r) => formatBytes(r.restorable?.bytes ?? 0n)),
    column("Window", "state", windowState),
    ...(canRestore
      ? [
          actionsColumn((r: WindowRow) =>
            r.restorable ? (
              <Button
                size="sm"
                variant="secondary"
                aria-label={`Restore ${rowName(r)}`}
                onClick={() =>
                  ask({
                    input: { runId, orgId: r.orgId, category: r.category },
                    what: `${r.orgName}'s ${CATEGORY_LABELS[r.category].toLowerCase()}`,
                    items: r.restorable?.items ?? 0,
                    bytes: r.restorable?.bytes ?? 0n,
                  })
                }
              >
                Restore
              </Button>
            ) : null,
          ),
        ]
      : []),
  ];
  return (
    <Card data-testid="run-restore">
      <CardTitle
        action={
          canRestore && restorable && restorable.items > 0 ? (
            <Button
              size="sm"
              onClick={() =>
                ask({
                  input: { runId },
                  what: "everything this run purged that is still restorable",
                  ...restorable,
                })
              }
            >
              Restore the whole run
            </Button>
          ) : null
        }
      >
        Restore window
      </CardTitle>
      <QueryBoundary
        query={query}
        loading="Loading what waits in the restore window…"
        error="The run's restore window could not be loaded"
      >
        {(data) => (
          <DataTable
            flush
            caption="What this run purged that waits in its restore window"
            columns={columns}
            data={data.rows}
            rowTestId="restore-row"
            paging={paging(data.rowCount, "Restore window")}
            empty="Nothing of this run went into a restore window: it purged nothing of a category that has one."
          />
        )}
      </QueryBoundary>
      <RestoreDialog
        choice={choice}
        pending={restore.isPending}
        error={restore.error?.message}
        onCancel={() => setChoice(null)}
        onConfirm={(input) => restore.mutate(input)}
      />
    </Card>
  );
}
