import { AlertTriangle } from "lucide-react";
import { isRetryable, type RequestError } from "../trpc/retryable";
import { cn } from "./cn";

export function LoadingBlock({ label = "Loading…" }: { label?: string }) {
  return (
    <div
      role="status"
      aria-live="polite"
      className="animate-pulse rounded-lg border border-zinc-200 p-6 text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400"
    >
      {label}
    </div>
  );
}

type FailedQuery = { error: RequestError | null; refetch: () => unknown };

/**
 * A query that failed, as a person can act on it: what failed, the server's
 * reason, and a retry when asking again might help.
 */
export function ErrorBlock({ title, query }: { title: string; query: FailedQuery }) {
  return (
    <div
      role="alert"
      className="flex items-start gap-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
    >
      <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0" />
      <div>
        <p className="font-medium">{title}</p>
        {query.error ? <p className="mt-1">{query.error.message}</p> : null}
        {isRetryable(query.error) ? (
          <button type="button" onClick={() => void query.refetch()} className="mt-2 underline">
            Try again
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** Why a form's action was refused, beside the form; nothing when there is no message. */
export function FormAlert({ message, className }: { message?: string | null; className?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className={cn("text-sm text-red-700 dark:text-red-400", className)}>
      {message}
    </p>
  );
}
