/** @type {import('next').NextConfig} */
const nextConfig = {
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
