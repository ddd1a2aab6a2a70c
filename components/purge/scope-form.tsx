"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useDeferredValue, useState } from "react";
import type { RetentionCategory } from "@/server/generated/prisma/enums";
import { CATEGORY_KEYS, CATEGORY_LABELS } from "@/server/retention/categories/labels";
import { useCan } from "../shell/user-context";
import { useTRPC } from "../trpc/client";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardTitle } from "../ui/card";
import { Input } from "../ui/field";
import { FormAlert } from "../ui/states";

/** Choose orgs and categories, then run a dry run. Nothing is deleted until its plan is confirmed. */
export function ScopeForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const canPreview = useCan("OPERATOR");
  const [allOrgs, setAllOrgs] = useState(false);
  const [orgIds, setOrgIds] = useState<number[]>([]);
  const [categories, setCategories] = useState<RetentionCategory[]>([]);
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search);
  const orgs = useQuery(
    trpc.orgs.list.queryOptions({ search: deferred || undefined, page: 1, pageSize: 100 }),
  );
  const preview = useMutation(
    trpc.purge.preview.mutationOptions({
      onSuccess: ({ planId }) => router.push(`/purge/${planId}`),
    }),
  );
  const toggle = <T,>(list: T[], value: T) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  const ready = (allOrgs || orgIds.length > 0) && categories.length > 0;

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card>
        <CardTitle>Organizations</CardTitle>
        <label className="mb-3 flex items-center gap-2 text-sm">
          <input type="checkbox" checked={allOrgs} onChange={(e) => setAllOrgs(e.target.checked)} />
          All organizations
        </label>
        <Input
          aria-label="Search organizations"
          placeholder="Search organizations"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          disabled={allOrgs}
          className="mb-2 w-full"
        />
        <fieldset
          disabled={allOrgs}
          className="max-h-80 overflow-y-auto rounded border border-zinc-200 p-2 dark:border-zinc-800"
        >
          <legend className="sr-only">Organizations to include</legend>
          {orgs.data?.orgs.map((o) => (
            <label key={o.id} className="flex items-center gap-2 py-1 text-sm">
              <input
                type="checkbox"
                checked={orgIds.includes(o.id)}
                onChange={() => setOrgIds(toggle(orgIds, o.id))}
              />
              {o.name} <Badge>{o.plan}</Badge>{" "}
              {o.onHold ? <Badge tone="warn">on hold</Badge> : null}
            </label>
          ))}
        </fieldset>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          {allOrgs ? "Every organization" : `${orgIds.length} selected`}
        </p>
      </Card>
      <Card>
        <CardTitle>Categories</CardTitle>
        <label className="mb-3 flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={categories.length === CATEGORY_KEYS.length}
            onChange={(e) => setCategories(e.target.checked ? [...CATEGORY_KEYS] : [])}
          />
          All categories
        </label>
        <fieldset className="grid gap-1 sm:grid-cols-2">
          <legend className="sr-only">Categories to include</legend>
          {CATEGORY_KEYS.map((c) => (
            <label key={c} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={categories.includes(c)}
                onChange={() => setCategories(toggle(categories, c))}
              />
              {CATEGORY_LABELS[c]}
            </label>
          ))}
        </fieldset>
      </Card>
      <div className="lg:col-span-2">
        <FormAlert message={preview.error?.message} className="mb-2" />
        <Button
          disabled={!canPreview || !ready || preview.isPending}
          onClick={() =>
            preview.mutate({
              orgIds: allOrgs ? null : orgIds,
              categories: categories.length === CATEGORY_KEYS.length ? null : categories,
            })
          }
        >
          {preview.isPending ? "Computing the dry run…" : "Dry run"}
        </Button>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          {canPreview
            ? "A dry run deletes nothing: it shows counts, bytes and a sample with reasons, frozen for 15 minutes."
            : "Only operators and admins run dry runs; you can open a preview someone shares with you."}
        </p>
      </div>
    </div>
  );
}
