import { z } from "zod";
import { category } from "../schemas";
import { itemsAndBytes } from "./common";

/** Per org × category of a run: what is still restorable and until when, what came back, what is gone. */
export const runWindow = z.strictObject({
  rows: z.array(
    z.strictObject({
      orgId: z.number(),
      orgName: z.string(),
      category,
      restorable: z
        .strictObject({ items: z.number(), bytes: z.bigint(), until: z.date() })
        .nullable(),
      /** Kept items no longer restorable (window passed, or erased) that await their final deletion. */
      awaiting: z.strictObject({ items: z.number() }).nullable(),
      restored: z.strictObject({ items: z.number(), at: z.date() }).nullable(),
      finallyDeleted: z.strictObject({ items: z.number(), at: z.date() }).nullable(),
    }),
  ),
  rowCount: z.number(),
  /** The whole run's restorable items and bytes: what "restore the whole run" brings back. */
  restorable: itemsAndBytes,
  /** The items of the run restored since: counted among what it purged, back in their tables now. */
  restored: z.strictObject({ items: z.number() }),
});

export const restored = z.strictObject({
  restoreId: z.string(),
  items: z.number(),
  bytes: z.bigint(),
});
