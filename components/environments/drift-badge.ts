import type { DriftStatus } from "@/server/generated/prisma/enums";
import type { Tone } from "../ui/badge";

/** A drift check's status as a badge, wherever a check is shown. */
export const DRIFT_BADGE: Record<DriftStatus, { tone: Tone; label: string }> = {
  IN_SYNC: { tone: "good", label: "in sync" },
  DRIFT: { tone: "bad", label: "drift" },
  UNKNOWN: { tone: "neutral", label: "unknown" },
};
