import { z } from "zod";
import { Role } from "../../generated/prisma/enums";

export const account = z.strictObject({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  role: z.enum(Role),
  createdAt: z.date(),
  disabledAt: z.date().nullable(),
  hasPassword: z.boolean(),
  mustChangePassword: z.boolean(),
});

export const accountList = z.array(account);

/** A one-time password is shown this once, to hand over; null when the password was given (the CLI). */
export const accountCreated = z.strictObject({
  user: account,
  oneTimePassword: z.string().nullable(),
});

export const passwordReset = z.strictObject({ user: account, oneTimePassword: z.string() });
