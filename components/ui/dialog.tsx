"use client";

import { X } from "lucide-react";
import { Dialog as RadixDialog } from "radix-ui";
import type { ReactNode } from "react";

/** A modal dialog: focus moves in, Escape closes, the title labels it for screen readers. */
export function Dialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <RadixDialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/50" />
        <RadixDialog.Content
          className={`fixed top-1/2 left-1/2 z-50 max-h-[85vh] w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg border border-zinc-200 bg-white p-5 shadow-xl dark:border-zinc-700 dark:bg-zinc-900 ${props.wide ? "max-w-3xl" : "max-w-lg"}`}
        >
          <div className="mb-3 flex items-start justify-between gap-4">
            <RadixDialog.Title className="text-lg font-semibold">{props.title}</RadixDialog.Title>
            <RadixDialog.Close
              aria-label="Close"
              className="rounded p-1 hover:bg-zinc-100 dark:hover:bg-zinc-800"
            >
              <X aria-hidden className="size-4" />
            </RadixDialog.Close>
          </div>
          <RadixDialog.Description
            className={
              props.description ? "mb-4 text-sm text-zinc-600 dark:text-zinc-400" : "sr-only"
            }
          >
            {props.description ?? props.title}
          </RadixDialog.Description>
          {props.children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
