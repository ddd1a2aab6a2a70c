import { isIPv4, isIPv6 } from "node:net";
import type { Env } from "../env";

/**
 * How many proxies in front of the server append to (or, like Vercel's
 * edge, overwrite) X-Forwarded-For: TRUSTED_PROXY_HOPS, or 1 on Vercel.
 * Next.js itself only fills the header in when the client sent none, so
 * without a trusted proxy its value is whatever the client chose.
 */
export const trustedProxyHops = (e: Env) => e.TRUSTED_PROXY_HOPS ?? (e.VERCEL ? 1 : 0);

/**
 * The address a request comes from, for throttling, or null when it cannot
 * be known: with N trusted proxies, the Nth entry of X-Forwarded-For from
 * the right (the one the outermost trusted proxy wrote); with none, null.
 * An IPv6 address counts as its /64, which one client usually holds whole.
 */
export function clientAddress(
  headers: Record<string, unknown> | undefined,
  hops: number,
): string | null {
  const header = headers?.["x-forwarded-for"];
  if (hops <= 0 || typeof header !== "string") return null;
  const entries = header
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = entries[entries.length - hops];
  if (!entry) return null;
  const mapped = entry.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  if (isIPv4(mapped)) return mapped;
  if (isIPv6(mapped)) return `${ipv6Groups(mapped).slice(0, 4).join(":")}::/64`;
  return null;
}

/** The groups of an IPv6 address, zero-padded ("::1" → 0000 × 7, 0001). */
function ipv6Groups(address: string): string[] {
  const [head = "", tail] = address.toLowerCase().split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // A trailing dotted IPv4 part stands for two groups.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);
  const missing = tail === undefined ? 0 : 8 - width(left) - width(right);
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((g) => g.padStart(4, "0"));
}
