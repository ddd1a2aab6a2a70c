import type { AnyTRPCRouter } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appLog } from "../log";
import { MAX_BATCH } from "./batch";
import type { Context } from "./init";
import { appRouter } from "./root";

/**
 * Answers a tRPC request over HTTP. A fault of ours (a 500: a failed query,
 * an answer outside its output schema) is logged with its cause; the
 * caller gets a message that says little in production.
 */
export function trpcResponse(
  req: Request,
  createContext: () => Context | Promise<Context>,
  router: AnyTRPCRouter = appRouter,
) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router,
    createContext,
    maxBatchSize: MAX_BATCH,
    onError: ({ error, path, type }) => {
      if (error.code === "INTERNAL_SERVER_ERROR")
        appLog().error({ err: error, procedure: path, type }, "tRPC procedure failed");
    },
  });
}
