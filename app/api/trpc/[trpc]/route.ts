import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { refuseCrossSite } from "@/app/api/_lib/http";
import { createRequestContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

/** A confirmed purge is worked after the response, for up to 80% of this. */
export const maxDuration = 300;

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: createRequestContext,
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR")
        console.error(`tRPC ${path ?? "?"} failed:`, error);
    },
  });

export { handler as GET };

/** Mutations: only from the console's own pages (tRPC takes no API tokens). */
export const POST = (req: Request) => refuseCrossSite(req, { bearerTokens: false }) ?? handler(req);
