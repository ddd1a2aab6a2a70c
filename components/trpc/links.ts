import { httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import { MAX_BATCH } from "@/server/trpc/batch";

/**
 * How the console talks to its API: batched over HTTP, superjson. Mutations
 * go as POST with Content-Type application/json, and the browser adds the
 * page's Origin: what the API's cross-site check asks of them.
 */
export const consoleLinks = () => [
  httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: MAX_BATCH }),
];
