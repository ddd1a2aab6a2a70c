import { z } from "zod";
import { plan } from "../schemas";

export const orgPage = z.strictObject({
  total: z.number(),
  orgs: z.array(
    z.strictObject({
      id: z.number(),
      name: z.string(),
      slug: z.string(),
      plan,
      onHold: z.boolean(),
      items: z.bigint(),
      bytes: z.bigint(),
    }),
  ),
});
