import Link from "next/link";

/** "History": the org's retention history, from wherever the org appears. */
export function OrgHistoryLink({ orgId, orgName }: { orgId: number; orgName: string }) {
  return (
    <Link
      className="text-sm text-sky-700 underline dark:text-sky-400"
      href={`/orgs/${orgId}/history`}
      aria-label={`History of ${orgName}`}
    >
      History
    </Link>
  );
}
