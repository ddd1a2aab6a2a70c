import type { Role } from "../generated/prisma/enums";

/** VIEWER reads; OPERATOR previews and purges within policy; ADMIN also governs. */
const RANK: Record<Role, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3 };

export const hasRole = (role: Role, atLeast: Role) => RANK[role] >= RANK[atLeast];

export type SessionUser = {
  id: number;
  email: string;
  name: string;
  role: Role;
  /** Signed in with a one-time password: may do nothing but choose a new one. */
  mustChangePassword?: boolean;
};

/** Why everything but choosing a new password is refused to a user with a one-time password. */
export const CHOOSE_PASSWORD_FIRST =
  "You signed in with a one-time password: choose a new password first, at /choose-password.";
