import { lookup as resolve } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Where a webhook may point: a public address only. An admin's endpoint
 * inside our network (cloud metadata, a database, an admin port on
 * localhost) would have the daily notice POST there from our side.
 */

/** ipaddr.js's names of the ranges that are not the public internet, in words an admin reads. */
const RANGE_WORDS: Record<string, string> = {
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link-local",
  loopback: "loopback",
  carrierGradeNat: "carrier-grade NAT",
  private: "private network",
  reserved: "reserved or documentation",
  uniqueLocal: "unique-local",
  deprecatedSiteLocal: "site-local",
  benchmarking: "benchmarking",
};

/**
 * What kind of non-public address `address` (an IP, v4 or v6) is
 * ("loopback"), or null for a public one. Only ipaddr.js's `unicast` is
 * public: every special-purpose range (NAT64, 6to4, Teredo and the others
 * that can carry a private IPv4 inside) is refused too.
 */
export function nonPublicRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return "unreadable";
  // An IPv4-mapped IPv6 (::ffff:127.0.0.1) is the IPv4 inside it.
  const ip = ipaddr.process(address);
  const range = ip.range();
  // ::a.b.c.d (deprecated IPv4-compatible) is "unicast" to ipaddr.js, yet reaches a.b.c.d on some hosts.
  if (range === "unicast" && ip.kind() === "ipv6" && ip.match(ipaddr.parseCIDR("::/96")))
    return "IPv4-compatible";
  return range === "unicast" ? null : (RANGE_WORDS[range] ?? "special-purpose");
}

const hostOf = (url: URL) =>
  url.hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();

/**
 * Why a URL's host, when it is a literal IP, is not public, or null. The
 * URL parser has already turned 2130706433, 0x7f.1 and 0177.0.0.1 into
 * 127.0.0.1. A connection to a literal IP resolves nothing, so the check
 * at connection time never sees it: this one must be made before.
 */
export function refusedAddress(url: URL): string | null {
  const host = hostOf(url);
  const range = isIP(host) ? nonPublicRange(host) : null;
  return range ? `${host} is a private address (${range})` : null;
}

/** Why a URL's host may not be a webhook endpoint, or null: localhost, a name under .localhost, or a literal non-public address. */
export function refusedHost(url: URL): string | null {
  const host = hostOf(url);
  if (host === "localhost" || host.endsWith(".localhost")) return `${host} is this machine`;
  return refusedAddress(url);
}

/** The endpoint's host resolves to a non-public address: no retry can mend it. */
export class PrivateAddressError extends Error {
  readonly code = "EPRIVATEADDRESS";
  constructor(range: string) {
    super(`the endpoint resolves to a private address (${range})`);
  }
}

/**
 * The `lookup` of a webhook's connection: resolves the host, refuses it
 * when any of its addresses is not public, else hands the checked
 * addresses to the socket, which connects to one of them. Checking here,
 * not before the request, is what defeats DNS rebinding: a name that
 * answered a public address at save time and a private one now is refused
 * now, and no second resolution can differ from the one checked.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  resolve(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    const refused = addresses.map((a) => nonPublicRange(a.address)).find((r) => r !== null);
    if (refused) return callback(new PrivateAddressError(refused), "");
    const [first] = addresses;
    if (options.all) return callback(null, addresses);
    if (!first) return callback(Object.assign(new Error("no address"), { code: "ENOTFOUND" }), "");
    return callback(null, first.address, first.family);
  });
};
