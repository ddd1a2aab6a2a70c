import { z } from "zod";
import { ApiTokenScope, Role } from "../generated/prisma/enums";
import { recordId } from "../record-id";
import {
  API_TOKEN_DEFAULT_DAYS,
  API_TOKEN_MAX_DAYS,
  PASSWORD_MAX_BYTES,
  PASSWORD_MIN_LENGTH,
} from "./limits";

/**
 * What an account and an API token are made of, checked the same way by the
 * console's forms, the procedures, the CLIs and the domain functions.
 */

export const email = z
  .string({ error: "must be an email address" })
  .trim()
  .toLowerCase()
  .max(254, "is too long for an email address")
  .pipe(z.email("must be an email address, e.g. ada@example.com"));

export const personName = z
  .string({ error: "must be a name" })
  .trim()
  .min(1, "must not be empty")
  .max(100, "is too long (100 characters at most)");

export const role = z.enum(Role, { error: "must be VIEWER, OPERATOR or ADMIN" });

export const newPassword = z
  .string({ error: "must be a password" })
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .refine((p) => new TextEncoder().encode(p).length <= PASSWORD_MAX_BYTES, {
    error: `must be at most ${PASSWORD_MAX_BYTES} bytes (bcrypt ignores the rest)`,
  });

export const userId = recordId("must be a user id");

export const createUserInput = z.object({ email, name: personName, role });
export const setRoleInput = z.object({ userId, role });
export const changePasswordInput = z.object({
  /** The password signed in with: one's own, or the one-time one. */
  currentPassword: z
    .string({ error: "is required" })
    .min(1, "is required")
    .max(200, "is not your password"),
  newPassword,
});

export const tokenScope = z.enum(ApiTokenScope, { error: "must be READ or PURGE" });
export const tokenName = z
  .string({ error: "must be a name" })
  .trim()
  .min(1, "must not be empty (say where the token is used, e.g. ci)")
  .max(100, "is too long (100 characters at most)");
export const expiresInDays = z
  .number({ error: "must be a number of days" })
  .int("must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(API_TOKEN_MAX_DAYS, `must be at most ${API_TOKEN_MAX_DAYS} days`);

export const createTokenInput = z.object({
  name: tokenName,
  scope: tokenScope.default("READ"),
  expiresInDays: expiresInDays.default(API_TOKEN_DEFAULT_DAYS),
});
export const tokenId = recordId("must be a token id");
