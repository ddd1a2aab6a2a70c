"use client";

import { cn } from "./cn";

/** A small set of mutually exclusive choices, as a radio group. */
export function Segmented<T extends string | number>(props: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <div
      role="radiogroup"
      aria-label={props.label}
      className="inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700"
    >
      {props.options.map((o) => (
        <button
          key={String(o.value)}
          type="button"
          role="radio"
          aria-checked={o.value === props.value}
          onClick={() => props.onChange(o.value)}
          className={cn(
            "rounded px-3 py-1 text-sm",
            o.value === props.value
              ? "bg-sky-700 text-white dark:bg-sky-600"
              : "hover:bg-zinc-100 dark:hover:bg-zinc-800",
          )}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
