import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import type { AppRouter } from "@/server/trpc/root";
import { Card } from "../ui/card";

type HeldOut = inferRouterOutputs<AppRouter>["purge"]["plan"]["heldOut"];

/** The orgs of the scope a legal hold left out: named, so "all 40 orgs" with 36 listed is explained. */
export function HeldOutOrgs({ heldOut, what }: { heldOut: HeldOut; what: "preview" | "run" }) {
  if (heldOut.count === 0) return null;
  const more = heldOut.count - heldOut.listed.length;
  return (
    <Card>
      <p className="text-sm" data-testid="held-out">
        <span className="font-medium">
          Left out: {heldOut.count} {heldOut.count === 1 ? "org" : "orgs"} under a legal hold
        </span>{" "}
        while this {what} was planned, nothing of {heldOut.count === 1 ? "it" : "them"} in it:{" "}
        {heldOut.listed.map((o, i) => (
          <span key={o.orgId}>
            {i > 0 ? ", " : ""}
            <Link
              className="text-sky-700 underline dark:text-sky-400"
              href={`/orgs/${o.orgId}/history`}
            >
              {o.orgName}
            </Link>{" "}
            (hold #{o.holdId})
          </span>
        ))}
        {more > 0 ? ` and ${more} more` : ""}.
      </p>
    </Card>
  );
}
