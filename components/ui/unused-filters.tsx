import { FilterX } from "lucide-react";
import { Banner } from "./banner";

/** A filter in the address that the page could not use, and why (a hand-edited or old link). */
export type UnusedFilter = { key: string; value: string; why: string };

/**
 * Says which filters of the address the page left out, so nobody takes an
 * unfiltered view for the one the link asked for.
 */
export function UnusedFilters({ unused }: { unused: UnusedFilter[] }) {
  if (unused.length === 0) return null;
  return (
    <div className="mb-4">
      <Banner tone="waiting" icon={FilterX} testId="unused-filters">
        <p>
          Not filtered by{" "}
          {unused.map((u, i) => (
            <span key={u.key}>
              {i > 0 ? "; " : ""}
              <code>
                {u.key}={u.value.length > 40 ? `${u.value.slice(0, 40)}…` : u.value}
              </code>{" "}
              ({u.why})
            </span>
          ))}
          : the address asks for {unused.length === 1 ? "a value" : "values"} the page cannot use,
          so {unused.length === 1 ? "that filter is" : "those filters are"} left out. Pick them
          again above.
        </p>
      </Banner>
    </div>
  );
}
