import { cleanUpPreviewsNow, keepWorkingQueue, workQueueNow } from "../app-engine";
import type { Engine } from "../retention/deps";
import type { Context } from "./init";

/**
 * A new preview. One planned at once is there to show; a larger one is
 * planned in steps after the response (and by every poll of its progress),
 * so no request holds a whole fleet's dry run; first, a few seconds of
 * cleaning up expired previews.
 */
export async function previewThenWork(
  ctx: Context,
  preview: (engine: Engine) => Promise<{ planId: string; planning: boolean }>,
) {
  const engine = await ctx.engine();
  const requested = await preview(engine);
  ctx.afterResponse(async () => {
    await cleanUpPreviewsNow(engine);
    if (requested.planning) await keepWorkingQueue(engine);
  });
  return requested;
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

/** A dry run still planning, polled: this request keeps the queue worked after it answers. */
export function keepPlanning(ctx: Context) {
  ctx.afterResponse(async () => keepWorkingQueue(await ctx.engine()));
}
