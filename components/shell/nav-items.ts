import {
  Activity,
  CalendarClock,
  ClipboardCheck,
  Database,
  Eraser,
  FileCheck2,
  KeyRound,
  LayoutDashboard,
  ScrollText,
  ServerCog,
  ShieldAlert,
  SlidersHorizontal,
  Users,
  UserX,
  type LucideIcon,
} from "lucide-react";
import type { Role } from "@/server/generated/prisma/enums";

export type NavItem = {
  href: string;
  label: string;
  icon: LucideIcon;
  /** Shown only to this role and above (the page and the server check again). */
  role?: Role;
};

/** The console's sections, in the order an operator works through them. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview", icon: LayoutDashboard },
  { href: "/policies", label: "Policies", icon: SlidersHorizontal },
  { href: "/deletions", label: "Upcoming deletions", icon: CalendarClock },
  { href: "/purge", label: "Dry run & purge", icon: Eraser },
  { href: "/incidents", label: "Incidents", icon: ShieldAlert },
  { href: "/environments", label: "Environments", icon: ServerCog },
  { href: "/runs", label: "Purge runs", icon: Activity },
  { href: "/review", label: "Review", icon: ClipboardCheck, role: "ADMIN" },
  { href: "/storage", label: "Storage", icon: Database },
  { href: "/audit", label: "Audit log", icon: ScrollText },
  { href: "/evidence", label: "Evidence", icon: FileCheck2, role: "ADMIN" },
  { href: "/erasure", label: "GDPR erasure", icon: UserX },
  { href: "/tokens", label: "API tokens", icon: KeyRound },
  { href: "/users", label: "Users", icon: Users, role: "ADMIN" },
];
