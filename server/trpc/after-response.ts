import { cleanUpPreviewsNow, workQueueNow } from "../app-engine";
import type { Engine } from "../retention/deps";
import type { Context } from "./init";

/** A new preview; after the response, a few seconds of cleaning up expired ones. */
export async function previewThenCleanUp(
  ctx: Context,
  preview: (engine: Engine) => Promise<string>,
) {
  const engine = await ctx.engine();
  const planId = await preview(engine);
  ctx.afterResponse(() => cleanUpPreviewsNow(engine));
  return { planId };
}

/** A run started from a confirmed plan; after the response, its work begins. */
export async function startThenWork(
  ctx: Context,
  start: (engine: Engine) => Promise<{ runId: string }>,
) {
  const engine = await ctx.engine();
  const run = await start(engine);
  ctx.afterResponse(() => workQueueNow(engine));
  return run;
}
