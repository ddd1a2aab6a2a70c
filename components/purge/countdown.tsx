"use client";

import { useEffect, useState } from "react";

/**
 * "12:34 left" until `until`, refreshed every second; says so when it is
 * over. Hydration keeps the server's second (the next tick corrects it)
 * rather than discarding the page over it.
 */
export function Countdown({ until, onExpire }: { until: Date; onExpire?: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, new Date(until).getTime() - now);
  useEffect(() => {
    if (left === 0) onExpire?.();
  }, [left, onExpire]);
  const minutes = Math.floor(left / 60_000);
  const seconds = Math.floor((left % 60_000) / 1000);
  return (
    <span
      role="timer"
      aria-live="off"
      className="tabular-nums"
      data-testid="plan-countdown"
      suppressHydrationWarning
    >
      {left === 0 ? "expired" : `${minutes}:${String(seconds).padStart(2, "0")} left`}
    </span>
  );
}
