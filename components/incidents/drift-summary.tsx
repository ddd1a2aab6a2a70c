import { Badge } from "../ui/badge";

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

/** The drift summary as a person reads it: workflows and what drifted; the raw JSON only on request. */
export function DriftSummary({ summary }: { summary: unknown }) {
  const workflows = asWorkflows(summary);
  const detectedBy = (summary as { detectedBy?: unknown } | null)?.detectedBy;
  return (
    <div>
      {typeof detectedBy === "string" ? (
        <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">Detected by {detectedBy}.</p>
      ) : null}
      {workflows.length === 0 ? (
        <p className="text-sm">No workflow drifted.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="drift-summary">
          <caption className="sr-only">Workflows that drifted</caption>
          <thead className="text-xs text-zinc-600 uppercase dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-1">
                Workflow
              </th>
              <th scope="col">Flag</th>
              <th scope="col" className="text-right">
                Changed files
              </th>
              <th scope="col" className="pl-4">
                Last deployed commit
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {workflows.map((w, i) => (
              <tr key={i}>
                <td className="py-1 font-medium">{String(w.name ?? "—")}</td>
                <td>
                  <Badge
                    tone={
                      w.flag === "MODIFIED" ? "warn" : w.flag === "NOT_IN_GIT" ? "bad" : "neutral"
                    }
                  >
                    {String(w.flag ?? "unknown")
                      .toLowerCase()
                      .replace(/_/g, " ")}
                  </Badge>
                </td>
                <td className="text-right tabular-nums">{String(w.changedFiles ?? "—")}</td>
                <td className="pl-4 font-mono text-xs">{String(w.lastDeployedCommit ?? "—")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details className="mt-3">
        <summary className="cursor-pointer text-xs text-zinc-500">Raw JSON</summary>
        <pre className="mt-1 overflow-x-auto rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-950">
          {JSON.stringify(summary, null, 2)}
        </pre>
      </details>
    </div>
  );
}
