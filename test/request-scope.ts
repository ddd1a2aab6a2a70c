import "./next-async-storage";
import { workAsyncStorage } from "next/dist/server/app-render/work-async-storage.external";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";

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
export async function withoutSession<T>(fn: () => Promise<T>): Promise<T> {
  const afterResponse: (() => unknown)[] = [];
  const work = {
    page: "/api",
    route: "/api",
    forceStatic: true,
    afterContext: { after: (task: () => unknown) => void afterResponse.push(task) },
  } as unknown as WorkStore;
  const unit = { type: "request", phase: "action" } as unknown as WorkUnitStore;
  const inScope = <R>(run: () => R) =>
    workAsyncStorage.run(work, () => workUnitAsyncStorage.run(unit, run));
  const answer = await inScope(fn);
  await inScope(() => Promise.all(afterResponse.map((task) => task())));
  return answer;
}
