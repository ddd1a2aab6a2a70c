"use client";

import { useDeferredValue, useEffect, useEffectEvent, useState, type ReactNode } from "react";
import { Card } from "./card";
import { Field, Input, SelectField, type Choice } from "./field";
import type { Paging } from "./pagination";
import { Segmented } from "./segmented";

type Paged = { page: number };

/** How long typing must pause before a settling search applies. */
const SEARCH_SETTLE_MS = 300;

type SearchShape = {
  kind: "search";
  placeholder?: string;
  width?: string;
  numeric?: boolean;
  /** Applies once typing pauses, not on every key: for filters that live in the address. */
  settles?: boolean;
};

type ControlOf<V> = { label: string } & (
  | { kind: "select"; options: Choice<V>[] }
  | ([V] extends [string | number] ? { kind: "choice"; options: Choice<V>[] } : never)
  | ([V] extends [string] ? SearchShape : never)
  | ([V] extends [string | null] ? { kind: "date" } : never)
  | ([V] extends [boolean] ? { kind: "checkbox" } : never)
);

/** One control of a filter bar, over the filter named `key`. */
export type FilterControl<F> = { [K in keyof F]: { key: K } & ControlOf<F[K]> }[keyof F];

/** Any control, its value's type set aside: what the bar draws from. */
type AnyControl = { label: string } & (
  | { kind: "select"; options: Choice<string | number | null>[] }
  | { kind: "choice"; options: Choice<string | number>[] }
  | SearchShape
  | { kind: "date" }
  | { kind: "checkbox" }
);

/** A list's filters. Whatever changes goes back to the first page, where the new results begin. */
export function FilterBar<F extends Paged>(props: {
  filters: F;
  onChange: (next: Partial<F>) => void;
  controls: FilterControl<Omit<F, "page">>[];
  /** What sits at the bar's far end: an export, a check. */
  actions?: ReactNode;
  /** Inside a card's title rather than in a card of its own. */
  bare?: boolean;
  className?: string;
}) {
  const draw = (control: FilterControl<Omit<F, "page">>) => {
    const key = String(control.key);
    return (
      <Control
        key={key}
        id={`filter-${key}`}
        control={control as AnyControl}
        value={props.filters[control.key as keyof F]}
        onChange={(value) => props.onChange({ [key]: value, page: 1 } as Partial<F>)}
      />
    );
  };
  const controls = (
    <div className="flex flex-wrap items-end gap-3">
      {runsOfDates(props.controls).map((run) =>
        run.length > 1 ? (
          // A period's ends wrap together: "To" never lands alone on a line of its own.
          <div key={String(run[0]?.key)} className="flex items-end gap-2" data-testid="date-range">
            {run.map(draw)}
          </div>
        ) : (
          run.map(draw)
        ),
      )}
      {props.actions}
    </div>
  );
  return props.bare ? controls : <Card className={props.className ?? "mb-4"}>{controls}</Card>;
}

/** The controls in order, each run of adjacent date controls (a period) grouped. */
function runsOfDates<C extends { kind: string }>(controls: C[]): C[][] {
  const runs: C[][] = [];
  for (const control of controls) {
    const last = runs.at(-1);
    if (control.kind === "date" && last?.[0]?.kind === "date") last.push(control);
    else runs.push([control]);
  }
  return runs;
}

function Control({
  id,
  control: c,
  value,
  onChange,
}: {
  id: string;
  control: AnyControl;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  switch (c.kind) {
    case "select":
      return (
        <SelectField
          id={id}
          label={c.label}
          value={value as string | number | null}
          options={c.options}
          onChange={onChange}
        />
      );
    case "choice":
      return (
        <Field id={id} label={c.label}>
          <Segmented
            label={c.label}
            value={value as string | number}
            options={c.options}
            onChange={onChange}
          />
        </Field>
      );
    case "search":
      return <Search id={id} control={c} value={value as string} onChange={onChange} />;
    case "date":
      return (
        <Field id={id} label={c.label}>
          <Input
            id={id}
            type="date"
            value={(value as string | null) ?? ""}
            onChange={(e) => onChange(e.target.value || null)}
          />
        </Field>
      );
    case "checkbox":
      return (
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={value as boolean}
            onChange={(e) => onChange(e.target.checked)}
          />
          {c.label}
        </label>
      );
  }
}

/** A search box; a settling one shows each key at once and applies the text once typing pauses. */
function Search(props: {
  id: string;
  control: SearchShape & { label: string };
  value: string;
  onChange: (value: string) => void;
}) {
  const { id, control: c } = props;
  const [draft, setDraft] = useState(props.value);
  const apply = useEffectEvent((text: string) => props.onChange(text));
  useEffect(() => {
    if (!c.settles || draft === props.value) return;
    const timer = setTimeout(() => apply(draft), SEARCH_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [c.settles, draft, props.value]);
  return (
    <Field id={id} label={c.label}>
      <Input
        id={id}
        placeholder={c.placeholder}
        inputMode={c.numeric ? "numeric" : undefined}
        className={c.width}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          if (!c.settles) props.onChange(e.target.value);
        }}
      />
    </Field>
  );
}

/** Filters a view keeps itself (not in the address), with the page of `pageSize` rows they show. */
export function usePagedFilters<F extends object>(initial: F, pageSize: number) {
  const [filters, setFilters] = useState<F & Paged>({ ...initial, page: 1 });
  const change = (next: Partial<F & Paged>) => setFilters((current) => ({ ...current, ...next }));
  // Typing stays quick: the list asks again as soon as rendering allows, not on every key.
  const deferred = useDeferredValue(filters);
  const asked = Object.fromEntries(
    Object.entries<unknown>(deferred).map(([key, value]) => [
      key,
      value === "" ? undefined : value,
    ]),
  ) as { [K in keyof F]: Exclude<F[K], ""> | undefined } & Paged;
  return {
    filters,
    /** What a query asks for: the page and its size, and the filters that are set. */
    asked: { ...asked, pageSize },
    /** What a filter bar over these filters is given. */
    bar: { filters, onChange: change },
    /** The table's pages, given how many rows match. */
    paging: (total: number, label: string): Paging => ({
      page: filters.page,
      pageSize,
      total,
      onPage: (page) => change({ page } as Partial<F & Paged>),
      label,
    }),
  };
}
