import { z } from "zod";

export const passwordChanged = z.strictObject({ changed: z.boolean() });
