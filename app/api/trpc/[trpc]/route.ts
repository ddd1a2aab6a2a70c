import { refuseCrossSite } from "@/app/api/_lib/http";
import { createRequestContext } from "@/server/trpc/context";
import { trpcResponse } from "@/server/trpc/handler";

/** A confirmed purge is worked after the response, for up to 80% of this. */
export const maxDuration = 300;

const handler = (req: Request) => trpcResponse(req, createRequestContext);

export { handler as GET };

/** Mutations: only from the console's own pages (tRPC takes no API tokens). */
export const POST = (req: Request) => refuseCrossSite(req, { bearerTokens: false }) ?? handler(req);
