import bcrypt from "bcryptjs";

const COST = 12;

export const hashPassword = (password: string) => bcrypt.hash(password, COST);

export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);

/**
 * Compared against when the email is unknown, so that a wrong email and a
 * wrong password take the same time and say the same thing.
 */
export const UNKNOWN_USER_HASH = "$2b$12$cHSNediAMdVsqaCTVeY6JOdpd5MsbkZgxG04QF.Kw355t0tj4gjXa";
