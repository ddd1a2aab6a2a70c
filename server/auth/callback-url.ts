/**
 * Where to send someone after they sign in: a path on the console itself,
 * or "/". The value is parsed as a browser would parse it (WHATWG URL,
 * relative to the console's origin), so what passes here is what the
 * browser navigates to: `/\evil.com`, `/\t/evil.com` or `//evil.com` parse
 * to another host and are refused, and a same-origin result whose path
 * starts with `//` is refused too, since a browser would read it as a host.
 */
export function safeCallbackPath(value: string | null | undefined, consoleOrigin: string): string {
  if (!value) return "/";
  const origin = new URL(consoleOrigin).origin;
  let parsed: URL;
  try {
    parsed = new URL(value, origin);
  } catch {
    return "/";
  }
  if (parsed.origin !== origin) return "/";
  const path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  return path.startsWith("/") && !path.startsWith("//") ? path : "/";
}
