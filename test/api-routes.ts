import { readdir } from "node:fs/promises";
import path from "node:path";
// Before next/server: it must find Next's AsyncLocalStorage when it loads.
import { withoutSession, withRequest } from "./request-scope";
import { NextRequest } from "next/server";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export type RouteContext = { params: Promise<Record<string, string | string[]>> };
export type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;

/** One exported handler of an app/api route file: "POST /api/orgs/[orgId]/retention/purge". */
export type ApiRoute = { key: string; method: string; pattern: string; handler: RouteHandler };

const API_DIR = path.resolve(import.meta.dirname, "..", "app", "api");

async function routeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return routeFiles(full);
      return Promise.resolve(/^route\.(ts|js)$/.test(e.name) ? [full] : []);
    }),
  );
  return nested.flat();
}

/**
 * Every handler of every route file under app/api, found on disk and
 * imported, so a route added tomorrow is in the list without anyone
 * remembering it. Import after setting the environment the routes read.
 */
export async function apiRoutes(): Promise<ApiRoute[]> {
  const routes: ApiRoute[] = [];
  for (const file of (await routeFiles(API_DIR)).sort()) {
    const pattern = `/api/${path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/")}`;
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of METHODS) {
      const handler = mod[method];
      if (typeof handler === "function")
        routes.push({
          key: `${method} ${pattern}`,
          method,
          pattern,
          handler: handler as RouteHandler,
        });
    }
  }
  return routes;
}

/** The handler of `key` ("GET /api/health") among `routes`; a test of a route that is gone fails here. */
export function routeIn(routes: ApiRoute[], key: string): ApiRoute {
  const route = routes.find((r) => r.key === key);
  if (!route) throw new Error(`no route ${key}`);
  return route;
}

/** The handler of `key` under app/api (apiRoutes). */
export const apiRoute = async (key: string) => routeIn(await apiRoutes(), key);

/**
 * Calls a route handler as Next.js would: a NextRequest for the concrete URL
 * and its params, inside a request scope without a session cookie, or, when
 * `init.withCookies`, the scope of the request and its cookie header.
 */
export function callRoute(
  route: ApiRoute,
  params: Record<string, string | string[]>,
  init: {
    headers?: Record<string, string>;
    body?: string;
    query?: string;
    withCookies?: boolean;
  } = {},
) {
  const concrete = route.pattern.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, name: string) => {
    const value = params[name] ?? "";
    return Array.isArray(value)
      ? value.map(encodeURIComponent).join("/")
      : encodeURIComponent(value);
  });
  const request = new NextRequest(`http://localhost${concrete}${init.query ?? ""}`, {
    method: route.method,
    headers: init.headers,
    body: route.method === "GET" || route.method === "HEAD" ? undefined : (init.body ?? ""),
  });
  const handle = () => route.handler(request, { params: Promise.resolve(params) });
  return init.withCookies ? withRequest(request, handle) : withoutSession(handle);
}
