"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";

/**
 * A secret shown once (a one-time password, an API token), with a copy
 * button. Only its hash is stored: once closed, nobody can show it again.
 */
export function SecretDialog(props: {
  secret: { title: string; description: string; label: string; value: string } | null;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const secret = props.secret;
  async function copy(value: string) {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      // The clipboard is only offered to secure pages (https or localhost).
      setCopied("failed");
    }
  }
  return (
    <Dialog
      open={secret !== null}
      onOpenChange={(open) => {
        if (!open) {
          setCopied(null);
          props.onClose();
        }
      }}
      title={secret?.title ?? ""}
      description={secret?.description}
    >
      {secret ? (
        <div className="flex flex-col gap-3">
          <p className="text-sm font-medium" id="secret-label">
            {secret.label}
          </p>
          <div className="flex items-center gap-2">
            <code
              aria-labelledby="secret-label"
              data-testid="secret-value"
              className="flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-2.5 py-2 font-mono text-sm break-all select-all dark:border-zinc-700 dark:bg-zinc-950"
            >
              {secret.value}
            </code>
            <Button size="sm" variant="secondary" onClick={() => void copy(secret.value)}>
              {copied === "yes" ? (
                <Check aria-hidden className="size-4" />
              ) : (
                <Copy aria-hidden className="size-4" />
              )}
              {copied === "yes" ? "Copied" : "Copy"}
            </Button>
          </div>
          <p role="status" className="text-sm text-amber-800 dark:text-amber-300">
            {copied === "failed"
              ? "This browser refused the clipboard here: select the text and copy it by hand."
              : "Shown only now: it cannot be shown again."}
          </p>
          <div className="flex justify-end">
            <Button
              onClick={() => {
                setCopied(null);
                props.onClose();
              }}
            >
              Done
            </Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
