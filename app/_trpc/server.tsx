import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { cache, type ReactNode } from "react";
import { makeQueryClient } from "@/components/trpc/query-client";
import { createRequestContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

/** One query client per request, shared by every prefetch of that render. */
export const getQueryClient = cache(makeQueryClient);

/** The router called in-process (no HTTP hop) with the request's session. */
export const trpc = createTRPCOptionsProxy({
  ctx: cache(createRequestContext),
  router: appRouter,
  queryClient: getQueryClient,
});

/**
 * Hands what the server prefetched to the client components below. Pages
 * await their prefetches: the server's HTML and the browser's first render
 * then show the same data, so React hydrates the page instead of discarding
 * it (a mismatch re-renders it from scratch, losing any click made
 * meanwhile), and nothing flashes a loading state.
 */
export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
