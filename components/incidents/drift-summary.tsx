import type { ColumnDef } from "@tanstack/react-table";
import { Badge, type Tone } from "../ui/badge";
import { column, figureColumn } from "../ui/columns";
import { DataTable } from "../ui/data-table";

type Workflow = {
  name?: unknown;
  flag?: unknown;
  changedFiles?: unknown;
  lastDeployedCommit?: unknown;
};

const asWorkflows = (summary: unknown): Workflow[] => {
  const workflows = (summary as { workflows?: unknown } | null)?.workflows;
  return Array.isArray(workflows) ? (workflows as Workflow[]) : [];
};

const FLAG_TONE: Record<string, Tone> = { MODIFIED: "warn", NOT_IN_GIT: "bad" };

const columns: ColumnDef<Workflow, unknown>[] = [
  column("Workflow", "name", (w) => String(w.name ?? "—"), { rowHeader: true }),
  column("Flag", "flag", (w) => (
    <Badge tone={FLAG_TONE[String(w.flag)] ?? "neutral"}>
      {String(w.flag ?? "unknown")
        .toLowerCase()
        .replace(/_/g, " ")}
    </Badge>
  )),
  figureColumn("Changed files", "changedFiles", (w) => String(w.changedFiles ?? "—")),
  column("Last deployed commit", "commit", (w) => String(w.lastDeployedCommit ?? "—"), {
    className: "font-mono text-xs",
  }),
];

/** The drift summary as a person reads it: workflows and what drifted; the raw JSON only on request. */
export function DriftSummary({ summary }: { summary: unknown }) {
  const workflows = asWorkflows(summary);
  const detectedBy = (summary as { detectedBy?: unknown } | null)?.detectedBy;
  return (
    <div>
      {typeof detectedBy === "string" ? (
        <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">Detected by {detectedBy}.</p>
      ) : null}
      <DataTable
        flush
        caption="Workflows that drifted"
        columns={columns}
        data={workflows}
        empty="No workflow drifted."
        testId="drift-summary"
      />
      <details className="mt-3">
        <summary className="cursor-pointer text-xs text-zinc-500">Raw JSON</summary>
        <pre className="mt-1 overflow-x-auto rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-950">
          {JSON.stringify(summary, null, 2)}
        </pre>
      </details>
    </div>
  );
}
