"use client";

import { createContext, useContext, type ReactNode } from "react";
import { hasRole, type SessionUser } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";

const UserContext = createContext<SessionUser | null>(null);

export function UserProvider({ user, children }: { user: SessionUser; children: ReactNode }) {
  return <UserContext.Provider value={user}>{children}</UserContext.Provider>;
}

export function useUser(): SessionUser {
  const user = useContext(UserContext);
  if (!user) throw new Error("useUser outside the console layout");
  return user;
}

/** Whether the signed-in user may do what `role` may. The server checks again on every call. */
export function useCan(role: Role) {
  return hasRole(useUser().role, role);
}
