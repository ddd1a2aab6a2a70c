import { createHash, timingSafeEqual } from "node:crypto";
import { userForToken } from "@/server/auth/api-tokens";
import { consoleOrigin } from "@/server/auth/server-settings";
import type { SessionUser } from "@/server/auth/roles";
import { currentUser } from "@/server/auth/session";
import { db } from "@/server/db";
import { AppError, HTTP_STATUS, refusedValue } from "@/server/errors";

/** JSON with bigints as strings (counts and bytes are BigInt in the database). */
export function json(body: unknown, init: ResponseInit = {}) {
  return new Response(
    JSON.stringify(body, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
    {
      ...init,
      headers: { "content-type": "application/json", "cache-control": "no-store", ...init.headers },
    },
  );
}

export const problem = (status: number, error: string, extra: Record<string, unknown> = {}) =>
  json({ error, ...extra }, { status });

/** Compares a presented bearer token with the secret in constant time (hashes first, so lengths match). */
export function bearerMatches(request: Request, secret: string): boolean {
  const header = request.headers.get("authorization") ?? "";
  const presented = header.startsWith("Bearer ") ? header.slice(7) : "";
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(secret).digest();
  return timingSafeEqual(a, b) && presented.length > 0;
}

/**
 * What a POST that changes something must look like, checked before
 * anything else: a JSON body (an HTML form on another site cannot send one
 * without a CORS preflight, which Lethe never grants) and, unless it
 * authenticates with a bearer token (`bearerTokens`: the route accepts API
 * tokens), an Origin that is the console's own (NEXTAUTH_URL), because the
 * browser attaches the session cookie to any site's request. A token
 * carries no ambient credential, so a token request needs no Origin. Null
 * when the request may go on; otherwise the refusal, before anything changed.
 */
export function refuseCrossSite(request: Request, options: { bearerTokens: boolean }) {
  const usesToken =
    options.bearerTokens && request.headers.get("authorization")?.startsWith("Bearer ");
  if (!usesToken) {
    const origin = request.headers.get("origin");
    const expected = consoleOrigin();
    if (origin !== expected)
      return problem(
        403,
        `Cross-site request refused: ${origin ? `Origin ${origin} is not` : "no Origin header names"} ` +
          `this console (${expected}). Use the console${options.bearerTokens ? ", or send Authorization: Bearer <API token>" : ""}.`,
      );
  }
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json")
    return problem(
      415,
      `Send a JSON body with Content-Type: application/json (this request's is ${type || "missing"}).`,
    );
  return null;
}

/** The caller of an API route: an API token (Authorization: Bearer lethe_…) or a console session. */
export async function apiCaller(request: Request): Promise<SessionUser | null> {
  const header = request.headers.get("authorization");
  if (header?.startsWith("Bearer ")) return userForToken(db(), header.slice(7));
  return currentUser();
}

/**
 * Turns the domain's AppError, or a value Postgres refused, into its status
 * and message; anything else is a 500 that says little.
 */
export function errorResponse(error: unknown) {
  if (error instanceof AppError)
    return problem(HTTP_STATUS[error.code], error.message, { code: error.code });
  const refused = refusedValue(error);
  if (refused) return problem(400, refused, { code: "BAD_INPUT" });
  console.error(error);
  return problem(500, "Something went wrong on our side. It has been logged; try again.");
}
