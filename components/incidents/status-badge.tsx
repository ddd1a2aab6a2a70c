import type { IncidentStatus } from "@/server/generated/prisma/enums";
import { Badge } from "../ui/badge";

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  return (
    <Badge tone={status === "CLOSED" ? "neutral" : status === "DETECTED" ? "bad" : "warn"}>
      {status.toLowerCase()}
    </Badge>
  );
}
