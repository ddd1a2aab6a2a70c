"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { CheckCircle2, XCircle } from "lucide-react";
import { useDeferredValue, useState } from "react";
import { formatCount, formatDateTime } from "../format";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { Field, Input } from "../ui/field";
import { Pagination } from "../ui/pagination";
import { ErrorBlock, LoadingBlock } from "../ui/states";
import { AuditDetails, AuditTarget } from "./audit-cells";

/** The append-only audit log, filterable, with a check of its hash chain. */
export function AuditView() {
  const trpc = useTRPC();
  const [action, setAction] = useState("");
  const [actor, setActor] = useState("");
  const [orgId, setOrgId] = useState("");
  const [page, setPage] = useState(1);
  const filters = {
    action: useDeferredValue(action) || undefined,
    actor: useDeferredValue(actor) || undefined,
    orgId: Number(orgId) > 0 ? Number(orgId) : undefined,
  };
  const query = useQuery(trpc.audit.list.queryOptions({ ...filters, page, pageSize: 50 }));
  const verify = useMutation(trpc.audit.verify.mutationOptions());
  return (
    <>
      <Card className="mb-4">
        <div className="flex flex-wrap items-end gap-3">
          <Field id="audit-action" label="Action starts with">
            <Input
              id="audit-action"
              placeholder="e.g. purge. or hold."
              value={action}
              onChange={(e) => {
                setAction(e.target.value);
                setPage(1);
              }}
            />
          </Field>
          <Field id="audit-actor" label="Actor">
            <Input
              id="audit-actor"
              placeholder="system or user:12"
              value={actor}
              onChange={(e) => {
                setActor(e.target.value);
                setPage(1);
              }}
            />
          </Field>
          <Field id="audit-org" label="Organization id">
            <Input
              id="audit-org"
              inputMode="numeric"
              value={orgId}
              onChange={(e) => {
                setOrgId(e.target.value);
                setPage(1);
              }}
              className="w-28"
            />
          </Field>
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
                    ? "1 daily anchor reached"
                    : `${formatCount(verify.data.anchors)} daily anchors reached`}
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
        </div>
      </Card>
      {query.isPending ? (
        <LoadingBlock label="Loading the audit log…" />
      ) : query.isError ? (
        <ErrorBlock title="The audit log could not be loaded" query={query} />
      ) : (
        <>
          <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Audit log, newest first</caption>
              <thead className="bg-zinc-50 text-xs text-zinc-600 uppercase dark:bg-zinc-900 dark:text-zinc-400">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    #
                  </th>
                  <th scope="col" className="px-3">
                    When
                  </th>
                  <th scope="col" className="px-3">
                    Actor
                  </th>
                  <th scope="col" className="px-3">
                    Action
                  </th>
                  <th scope="col" className="px-3">
                    Org
                  </th>
                  <th scope="col" className="px-3">
                    Target
                  </th>
                  <th scope="col" className="px-3">
                    Counts
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 bg-white dark:divide-zinc-800 dark:bg-zinc-950">
                {query.data.entries.map((e) => (
                  <tr key={e.id}>
                    <td className="px-3 py-2 font-mono text-xs">{e.id}</td>
                    <td className="px-3 whitespace-nowrap">{formatDateTime(e.at)}</td>
                    <td className="px-3">{e.actor}</td>
                    <td className="px-3 font-medium">{e.action}</td>
                    <td className="px-3">{e.orgId ?? "—"}</td>
                    <td className="px-3 font-mono text-xs whitespace-nowrap">
                      <AuditTarget target={e.target} />
                    </td>
                    <td className="max-w-md px-3 py-2 font-mono text-xs">
                      <AuditDetails details={e.details} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            page={page}
            pageSize={50}
            total={query.data.total}
            onPage={setPage}
            label="Audit log"
          />
        </>
      )}
    </>
  );
}
