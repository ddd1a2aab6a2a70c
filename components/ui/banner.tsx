import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "./cn";

const TONES = {
  /** Something is wrong and someone must act: read out at once. */
  alert: "border-red-300 bg-red-600 text-white dark:border-red-800",
  /** Work waits on someone. */
  waiting:
    "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100",
  /** A fact about what is shown. */
  note: "border-zinc-300 bg-zinc-100 text-sm dark:border-zinc-700 dark:bg-zinc-900",
} as const;

/** A page's banner: an icon and what it says, across the page. */
export function Banner(props: {
  tone: keyof typeof TONES;
  icon: LucideIcon;
  testId: string;
  children: ReactNode;
}) {
  const Icon = props.icon;
  return (
    <div
      role={props.tone === "alert" ? "alert" : "status"}
      data-testid={props.testId}
      className={cn("flex items-start gap-3 rounded-lg border p-4", TONES[props.tone])}
    >
      <Icon
        aria-hidden
        className={cn("mt-0.5 shrink-0", props.tone === "note" ? "size-4" : "size-5")}
      />
      {props.children}
    </div>
  );
}
