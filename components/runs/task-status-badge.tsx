import type { TaskStatus } from "@/server/generated/prisma/enums";
import { Badge } from "../ui/badge";

/** A task's or a sweep's status: done, failed, paused by the guard, or still to do. */
export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  const tone =
    status === "SUCCEEDED"
      ? "good"
      : status === "FAILED"
        ? "bad"
        : status === "NEEDS_REVIEW"
          ? "warn"
          : "info";
  return <Badge tone={tone}>{status.toLowerCase().replace("_", " ")}</Badge>;
}
