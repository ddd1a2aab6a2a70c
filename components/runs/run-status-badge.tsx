import type { RunStatus } from "@/server/generated/prisma/enums";
import { Badge, type Tone } from "../ui/badge";

const TONE: Record<RunStatus, Tone> = {
  RUNNING: "info",
  SUCCEEDED: "good",
  PARTIAL: "warn",
  FAILED: "bad",
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <Badge tone={TONE[status]}>{status.toLowerCase()}</Badge>;
}
