import bcrypt from "bcryptjs";
import { randomBytes } from "node:crypto";

const COST = 12;

export const hashPassword = (password: string) => bcrypt.hash(password, COST);

export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);

let standIn: Promise<string> | undefined;

/**
 * Compared against when there is no hash to check (an unknown email, or a
 * user who signs in only through SSO), so that every refusal takes the same
 * time. Its password is random bytes of this process that nobody knows,
 * and a sign-in without a hash of its own is refused whatever this compare
 * says.
 */
export function standInHash(): Promise<string> {
  standIn ??= hashPassword(randomBytes(32).toString("base64"));
  return standIn;
}
