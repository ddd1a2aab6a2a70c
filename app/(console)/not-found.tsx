import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";

/** What the console shows for an address or a record that does not exist: inside the console, with a way on. */
export default function NotFound() {
  return (
    <>
      <PageHeader
        title="Not found"
        description="Nothing is at this address: the organization, run, incident or page it names does not exist, or its link was cut short."
      />
      <p className="text-sm">
        <Link className="text-sky-700 underline dark:text-sky-400" href="/">
          Back to the overview
        </Link>
      </p>
    </>
  );
}
