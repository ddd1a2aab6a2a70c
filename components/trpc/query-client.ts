import { QueryClient } from "@tanstack/react-query";
import superjson from "superjson";
import { isRetryable } from "./retryable";

/** One factory for the server's per-request client and the browser's singleton. */
export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failures, error) => failures < 1 && isRetryable(error),
      },
      // Pages await their prefetches (app/_trpc/server.tsx): only settled
      // data is handed over, never a pending query that the server rendered
      // as loading and the browser might render as loaded.
      dehydrate: { serializeData: superjson.serialize },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
