"use client";

import { useMutation } from "@tanstack/react-query";
import { CheckCircle2, XCircle } from "lucide-react";
import { formatCount } from "../format";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";

/** Walks the audit log's hash chain on request and says whether it is intact. */
export function ChainCheck() {
  const trpc = useTRPC();
  const verify = useMutation(trpc.audit.verify.mutationOptions());
  return (
    <div className="ml-auto flex flex-col items-end gap-1">
      <Button variant="secondary" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? "Verifying…" : "Verify chain"}
      </Button>
      {verify.data ? (
        verify.data.intact ? (
          <p
            role="status"
            className="flex items-center gap-1 text-sm text-emerald-700 dark:text-emerald-400"
            data-testid="chain-verdict"
          >
            <CheckCircle2 aria-hidden className="size-4" /> Intact:{" "}
            {formatCount(verify.data.entries)} entries verified,{" "}
            {verify.data.anchors === 1
              ? "1 run's anchor reached"
              : `${formatCount(verify.data.anchors)} runs' anchors reached`}
          </p>
        ) : (
          <p
            role="alert"
            className="flex items-center gap-1 text-sm text-red-700 dark:text-red-400"
            data-testid="chain-verdict"
          >
            <XCircle aria-hidden className="size-4" />
            {verify.data.brokenAt ? `Broken at entry #${verify.data.brokenAt}: ` : "Broken: "}
            {verify.data.reason}
          </p>
        )
      ) : null}
    </div>
  );
}
