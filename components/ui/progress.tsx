import { Progress as RadixProgress } from "radix-ui";

/** A progress bar (0..1) that screen readers announce as a percentage. */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div>
      <div className="mb-1 flex justify-between text-sm">
        <span>{label}</span>
        <span className="tabular-nums" data-testid="progress-percent">
          {percent}%
        </span>
      </div>
      <RadixProgress.Root
        value={percent}
        aria-label={label}
        className="relative h-3 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <RadixProgress.Indicator
          className="h-full bg-sky-600 transition-[width] duration-300"
          style={{ width: `${percent}%` }}
        />
      </RadixProgress.Root>
    </div>
  );
}
