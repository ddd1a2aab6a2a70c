"use client";

import { Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Dialog } from "radix-ui";
import { useState, type ReactNode } from "react";
import { hasRole, type SessionUser } from "@/server/auth/roles";
import { cn } from "../ui/cn";
import { NAV_ITEMS } from "./nav-items";
import { ThemeToggle } from "./theme-toggle";
import { UserProvider, useUser } from "./user-context";
import { UserMenu } from "./user-menu";

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  const { role } = useUser();
  const items = NAV_ITEMS.filter((item) => !item.role || hasRole(role, item.role));
  return (
    <nav aria-label="Sections" className="flex flex-col gap-0.5">
      {items.map(({ href, label, icon: Icon }) => {
        const active = href === "/" ? pathname === "/" : pathname.startsWith(href);
        return (
          <Link
            key={href}
            href={href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-2 rounded-md px-3 py-2 text-sm",
              active
                ? "bg-sky-50 font-medium text-sky-800 dark:bg-sky-950 dark:text-sky-200"
                : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
            )}
          >
            <Icon aria-hidden className="size-4" />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}

const Brand = () => (
  <Link href="/" className="flex items-center gap-2 px-3 text-lg font-semibold tracking-tight">
    <span aria-hidden className="inline-block size-3 rounded-full bg-sky-600" />
    Lethe
  </Link>
);

export function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <UserProvider user={user}>
      <div className="min-h-screen lg:grid lg:grid-cols-[15rem_1fr]">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900"
        >
          Skip to content
        </a>
        <aside className="hidden border-r border-zinc-200 bg-white px-3 py-4 lg:block dark:border-zinc-800 dark:bg-zinc-900">
          <Brand />
          <div className="mt-6">
            <NavLinks />
          </div>
        </aside>
        <div className="flex min-w-0 flex-col">
          <header className="flex h-14 items-center justify-between gap-2 border-b border-zinc-200 bg-white px-4 dark:border-zinc-800 dark:bg-zinc-900">
            <div className="flex items-center gap-2 lg:hidden">
              <Dialog.Root open={menuOpen} onOpenChange={setMenuOpen}>
                <Dialog.Trigger asChild>
                  <button
                    type="button"
                    aria-label="Open navigation"
                    className="rounded-md p-2 hover:bg-zinc-100 dark:hover:bg-zinc-800"
                  >
                    <Menu aria-hidden className="size-5" />
                  </button>
                </Dialog.Trigger>
                <Dialog.Portal>
                  <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
                  <Dialog.Content className="fixed inset-y-0 left-0 z-50 w-64 bg-white p-4 shadow-xl dark:bg-zinc-900">
                    <div className="mb-4 flex items-center justify-between">
                      <Dialog.Title asChild>
                        <span>
                          <Brand />
                        </span>
                      </Dialog.Title>
                      <Dialog.Close
                        aria-label="Close navigation"
                        className="rounded-md p-2 hover:bg-zinc-100 dark:hover:bg-zinc-800"
                      >
                        <X aria-hidden className="size-5" />
                      </Dialog.Close>
                    </div>
                    <Dialog.Description className="sr-only">
                      Sections of the console
                    </Dialog.Description>
                    <NavLinks onNavigate={() => setMenuOpen(false)} />
                  </Dialog.Content>
                </Dialog.Portal>
              </Dialog.Root>
              <Brand />
            </div>
            <div className="ml-auto flex items-center gap-1">
              <ThemeToggle />
              <UserMenu user={user} />
            </div>
          </header>
          <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 p-4 md:p-6">
            {children}
          </main>
        </div>
      </div>
    </UserProvider>
  );
}
