/** A row of labelled figures under a progress bar: what a piece of work did or found so far. */
export function Figures({
  figures,
}: {
  figures: { label: string; value: string; testId: string }[];
}) {
  return (
    <dl className="mt-4 flex flex-wrap gap-x-10 gap-y-3 text-sm">
      {figures.map((f) => (
        <div key={f.testId}>
          <dt className="text-zinc-600 dark:text-zinc-400">{f.label}</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid={f.testId}>
            {f.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
