import "./next-async-storage";
import { workAsyncStorage } from "next/dist/server/app-render/work-async-storage.external";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";
import { createRequestStoreForAPI } from "next/dist/server/async-storage/request-store";
import type { NextRequest } from "next/server";

type WorkStore = Parameters<typeof workAsyncStorage.run>[0];
type WorkUnitStore = Parameters<typeof workUnitAsyncStorage.run>[0];

/**
 * Runs `fn` the way Next.js runs a route handler for a request that brought
 * no cookies: `next/headers` answers empty (a static scope), so next-auth
 * finds no session and currentUser() is null. Work the handler hands to
 * `after()` runs once it has answered, and is awaited, as Next does within
 * the request's lifetime. This enters Next 16's own request scope instead
 * of mocking the session: the session-less path runs for real.
 */
export function withoutSession<T>(fn: () => Promise<T>): Promise<T> {
  return inScope(true, { type: "request", phase: "action" } as unknown as WorkUnitStore, fn);
}

/**
 * Runs `fn` in the request scope Next.js builds for `request` itself:
 * `next/headers` reads its headers and cookies, so a session cookie it
 * carries signs the caller in, as in the browser.
 */
export function withRequest<T>(request: NextRequest, fn: () => Promise<T>): Promise<T> {
  type Args = Parameters<typeof createRequestStoreForAPI>;
  // Route handlers that read no cache need no implicit tags nor preview keys.
  const unit = createRequestStoreForAPI(
    request,
    request.nextUrl,
    undefined as unknown as Args[2],
    undefined,
    undefined as unknown as Args[4],
    undefined,
  );
  return inScope(false, unit as unknown as WorkUnitStore, fn);
}

async function inScope<T>(
  forceStatic: boolean,
  unit: WorkUnitStore,
  fn: () => Promise<T>,
): Promise<T> {
  const afterResponse: (() => unknown)[] = [];
  const work = {
    page: "/api",
    route: "/api",
    forceStatic,
    afterContext: { after: (task: () => unknown) => void afterResponse.push(task) },
  } as unknown as WorkStore;
  const within = <R>(run: () => R) =>
    workAsyncStorage.run(work, () => workUnitAsyncStorage.run(unit, run));
  const answer = await within(fn);
  await within(() => Promise.all(afterResponse.map((task) => task())));
  return answer;
}
