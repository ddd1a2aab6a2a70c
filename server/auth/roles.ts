import type { Role } from "../generated/prisma/enums";

/** VIEWER reads; OPERATOR previews and purges within policy; ADMIN also governs. */
const RANK: Record<Role, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3 };

export const hasRole = (role: Role, atLeast: Role) => RANK[role] >= RANK[atLeast];

export type SessionUser = { id: number; email: string; name: string; role: Role };
