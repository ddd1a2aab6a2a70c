import { z } from "zod";
import { ApiTokenScope } from "../../generated/prisma/enums";

const scope = z.enum(ApiTokenScope);

export const tokenList = z.array(
  z.strictObject({
    id: z.number(),
    name: z.string(),
    scope,
    userId: z.number(),
    owner: z.string(),
    ownerEmail: z.string(),
    ownerDisabled: z.boolean(),
    createdAt: z.date(),
    expiresAt: z.date(),
    lastUsedAt: z.date().nullable(),
    revokedAt: z.date().nullable(),
  }),
);

/** The token itself is shown this once and never stored. */
export const tokenCreated = z.strictObject({
  id: z.number(),
  token: z.string(),
  name: z.string(),
  scope,
  expiresAt: z.date(),
});

export const tokenRevoked = z.strictObject({ id: z.number(), revokedAt: z.date() });
