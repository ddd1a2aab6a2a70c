"use client";

import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { useTRPC } from "../trpc/client";
import { Input, Select } from "../ui/field";

/** Pick one organization: type to search, then choose from the matches. */
export function OrgSelect(props: {
  id: string;
  value: number | null;
  onChange: (orgId: number | null) => void;
  invalid?: boolean;
}) {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search);
  const query = useQuery(
    trpc.orgs.list.queryOptions({ search: deferred || undefined, page: 1, pageSize: 50 }),
  );
  // The chosen org (from a link, or before a search) may be past the first
  // 50 matches: it is looked up by id so the picker names it.
  const listed = query.data?.orgs.some((o) => o.id === props.value) ?? false;
  const chosen = useQuery({
    ...trpc.orgs.list.queryOptions({ id: props.value ?? 0, page: 1, pageSize: 1 }),
    enabled: props.value !== null && query.isSuccess && !listed,
  });
  const options = [...(listed ? [] : (chosen.data?.orgs ?? [])), ...(query.data?.orgs ?? [])];
  return (
    <div className="flex flex-col gap-1.5 sm:flex-row">
      <Input
        aria-label="Search organizations"
        placeholder="Search organizations"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        className="sm:w-48"
      />
      <Select
        id={props.id}
        aria-invalid={props.invalid}
        value={props.value ?? ""}
        onChange={(e) => props.onChange(e.target.value ? Number(e.target.value) : null)}
        className="sm:flex-1"
      >
        <option value="">{query.isPending ? "Loading…" : "Choose an organization"}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.plan})
          </option>
        ))}
      </Select>
    </div>
  );
}
