"use client";

import { formatDistanceStrict } from "date-fns";
import { useEffect, useState } from "react";
import { formatDateTime } from "../format";

const TICK_MS = 15_000;

/**
 * "3 hours ago" / "in 2 days", kept true while the page stays open. The
 * server renders it a moment before the browser hydrates ("22 seconds ago"
 * against "23 seconds ago"), so hydration keeps the server's words and the
 * first tick corrects them, instead of discarding the whole page.
 */
export function RelativeTime({ date }: { date: Date | string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const at = new Date(date);
  return (
    <time dateTime={at.toISOString()} title={formatDateTime(at)} suppressHydrationWarning>
      {formatDistanceStrict(at, now, { addSuffix: true })}
    </time>
  );
}
