import { describe, expect, it } from "vitest";
import { parseEnv } from "../env";
import { clientAddress, trustedProxyHops } from "./client-address";

const xff = (value: string) => ({ "x-forwarded-for": value });

describe("the client address a sign-in is throttled by", () => {
  it("is unknown without a trusted proxy: X-Forwarded-For is then whatever the client sent", () => {
    expect(clientAddress(xff("203.0.113.9"), 0)).toBeNull();
  });

  it("is the entry the outermost trusted proxy wrote, not one the client put before it", () => {
    expect(clientAddress(xff("203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(xff("1.1.1.1, 8.8.8.8, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(xff("1.1.1.1, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    expect(clientAddress(xff("203.0.113.9"), 2)).toBeNull();
  });

  it("counts an IPv6 client by its /64, and an IPv4-mapped one as IPv4; anything else is unknown", () => {
    expect(clientAddress(xff("2001:db8:1:2:aaaa::1"), 1)).toBe("2001:0db8:0001:0002::/64");
    expect(clientAddress(xff("2001:db8:1:2:bbbb:cccc:dddd:eeee"), 1)).toBe(
      "2001:0db8:0001:0002::/64",
    );
    expect(clientAddress(xff("::1"), 1)).toBe("0000:0000:0000:0000::/64");
    expect(clientAddress(xff("::ffff:203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(xff("unknown"), 1)).toBeNull();
    expect(clientAddress(xff(""), 1)).toBeNull();
    expect(clientAddress({}, 1)).toBeNull();
  });

  it("trusts one proxy on Vercel, whose edge overwrites the header, unless TRUSTED_PROXY_HOPS says otherwise", () => {
    const env = (vars: Record<string, string>) =>
      parseEnv({ DATABASE_URL: "postgresql://u@localhost/db", ...vars });
    expect(trustedProxyHops(env({}))).toBe(0);
    expect(trustedProxyHops(env({ VERCEL: "1" }))).toBe(1);
    expect(trustedProxyHops(env({ VERCEL: "1", TRUSTED_PROXY_HOPS: "0" }))).toBe(0);
    expect(trustedProxyHops(env({ TRUSTED_PROXY_HOPS: "2" }))).toBe(2);
  });
});
