"use client";

import { useCan } from "../shell/user-context";
import { Card } from "../ui/card";
import { ExportForm } from "./export-form";
import { ExportList } from "./export-list";

/** An org's Exports page: an ADMIN's, as an export holds the org's data itself. */
export function ExportsView({ orgId }: { orgId: number }) {
  const admin = useCan("ADMIN");
  if (!admin)
    return <Card>Exports are requested and downloaded by an ADMIN; ask one for an export.</Card>;
  return (
    <div className="flex flex-col gap-4">
      <ExportForm orgId={orgId} />
      <ExportList orgId={orgId} />
    </div>
  );
}
