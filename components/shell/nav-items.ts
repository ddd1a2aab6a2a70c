import {
  Activity,
  CalendarClock,
  Database,
  Eraser,
  LayoutDashboard,
  ScrollText,
  ServerCog,
  ShieldAlert,
  SlidersHorizontal,
  UserX,
} from "lucide-react";

/** The console's sections, in the order an operator works through them. */
export const NAV_ITEMS = [
  { href: "/", label: "Overview", icon: LayoutDashboard },
  { href: "/policies", label: "Policies", icon: SlidersHorizontal },
  { href: "/deletions", label: "Upcoming deletions", icon: CalendarClock },
  { href: "/purge", label: "Dry run & purge", icon: Eraser },
  { href: "/incidents", label: "Incidents", icon: ShieldAlert },
  { href: "/environments", label: "Environments", icon: ServerCog },
  { href: "/runs", label: "Purge runs", icon: Activity },
  { href: "/storage", label: "Storage", icon: Database },
  { href: "/audit", label: "Audit log", icon: ScrollText },
  { href: "/erasure", label: "GDPR erasure", icon: UserX },
] as const;
