import { isRecordUuid } from "@/server/record-uuid";
import Link from "next/link";
import { formatCount } from "../format";

/** Where an entry's target can be looked at in the console. */
const TARGET_PAGES: Record<string, (id: string) => string> = {
  run: (id) => `/runs/${id}`,
  plan: (id) => `/purge/${id}`,
};

/**
 * "run:5f75cbbc" rather than a full UUID wrapped over four lines; a run or a
 * plan links to its page, and the whole target stays in the title.
 */
export function AuditTarget({ target }: { target: string | null }) {
  if (!target) return null;
  const [kind = "", ...rest] = target.split(":");
  const id = rest.join(":");
  const short = isRecordUuid(id) ? `${kind}:${id.slice(0, 8)}` : target;
  const page = TARGET_PAGES[kind];
  return page ? (
    <Link href={page(id)} title={target} className="underline underline-offset-2">
      {short}
    </Link>
  ) : (
    <span title={target}>{short}</span>
  );
}

/** Counts get thousands separators; ids (`artifactId`, `incidentId`) stay as stored. */
function shown(key: string, value: unknown) {
  const isId = key === "id" || key.endsWith("Id");
  if (typeof value === "number") return isId ? String(value) : formatCount(value);
  if (typeof value === "string")
    return !isId && /^\d+$/.test(value) ? formatCount(BigInt(value)) : value;
  return JSON.stringify(value);
}

/**
 * An entry's counts as "key value" pairs that wrap, instead of one line of
 * JSON cut at the column's edge; keys without a value are left out, and the
 * raw JSON is the title.
 */
export function AuditDetails({ details }: { details: unknown }) {
  if (!details || typeof details !== "object" || Array.isArray(details))
    return <span>{JSON.stringify(details)}</span>;
  const entries = Object.entries(details).filter(([, v]) => v !== null && v !== undefined);
  return (
    <dl className="flex flex-wrap gap-x-3 gap-y-0.5" title={JSON.stringify(details)}>
      {entries.map(([key, value]) => (
        <div key={key} className="flex gap-1">
          <dt className="text-zinc-500 dark:text-zinc-400">{key}</dt>
          <dd className="break-all">{shown(key, value)}</dd>
        </div>
      ))}
    </dl>
  );
}
