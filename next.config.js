/**
 * On every answer. No page of the console may be framed: a page of another
 * origin could lay it under its own and have a purge or an erasure
 * confirmed by a stray click. Signed links (exports) stay off other sites'
 * referrers.
 */
const SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  {
    key: "Content-Security-Policy",
    value: "frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
  },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Strict-Transport-Security", value: "max-age=31536000" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  headers: async () => [{ source: "/:path*", headers: SECURITY_HEADERS }],
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: false,
  // `npm run typecheck` checks the whole project (tests, scripts, benches
  // included) as its own CI step; the build need not repeat it on 2 cores.
  typescript: { ignoreBuildErrors: true },
  // The engine and the Prisma client run only on the server; keep them out of
  // the bundler so their native-free pg driver and wasm load as plain Node.
  serverExternalPackages: ["pg", "pg-boss", "@prisma/client", "@prisma/adapter-pg", "prom-client"],
};

export default nextConfig;
