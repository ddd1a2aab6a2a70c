import { createHash, timingSafeEqual } from "node:crypto";
import { isDemoEmail } from "@/server/accounts/demo-accounts";
import { userForToken } from "@/server/auth/api-tokens";
import { CHOOSE_PASSWORD_FIRST, hasRole, type SessionUser } from "@/server/auth/roles";
import { consoleOrigin } from "@/server/auth/server-settings";
import { currentUser } from "@/server/auth/session";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { AppError, HTTP_STATUS, refusedValue } from "@/server/errors";
import { appLog, type Log } from "@/server/log";

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

/**
 * What an API route does, and so what its caller needs: `read` is any
 * signed-in user or live token; `purge` and `restore` change governed data,
 * so they need an ADMIN, and by token only a PURGE token.
 */
export type ApiAccess = "read" | "purge" | "restore";

/** How a refusal names what the caller tried: "purging", "Purge-now". */
const CHANGES = {
  purge: { doing: "purging", route: "Purge-now" },
  restore: { doing: "restoring", route: "Restore" },
} as const;

const SIGN_IN = "Sign in, or send Authorization: Bearer <API token> with a live token.";

/**
 * The caller of an API route, an API token (Authorization: Bearer lethe_…)
 * or a console session, if it may do what the route does; otherwise the
 * response that refuses it. Every API route's scope is enforced here.
 */
export async function apiCaller(
  request: Request,
  access: ApiAccess,
): Promise<(SessionUser & { tokenId?: number }) | Response> {
  const header = request.headers.get("authorization");
  let caller: SessionUser & { tokenId?: number };
  if (header?.startsWith("Bearer ")) {
    const token = await userForToken(db(), header.slice(7));
    if (!token) return problem(401, `This API token is unknown, expired or revoked. ${SIGN_IN}`);
    // As its password sign-in is: a demo enabled in a running server's
    // database must not open it through a token made before.
    if (env().NODE_ENV === "production" && isDemoEmail(token.user.email))
      return problem(
        401,
        "This API token belongs to a demo account, whose password is published: a production server refuses it. Disable the account (npm run user:disable -- <email>) and use a token of your own.",
      );
    if (access !== "read" && token.scope !== "PURGE")
      return problem(
        403,
        `This API token's scope is ${token.scope}; ${CHANGES[access].doing} needs a PURGE token of an ADMIN ` +
          "(npm run token:create -- <email> <name> --scope purge).",
      );
    caller = token.user;
  } else {
    const user = await currentUser();
    if (!user) return problem(401, SIGN_IN);
    if (user.mustChangePassword) return problem(403, CHOOSE_PASSWORD_FIRST);
    caller = user;
  }
  if (access !== "read" && !hasRole(caller.role, "ADMIN"))
    return problem(
      403,
      `${CHANGES[access].route} needs the ADMIN role; this caller is ${caller.role}.`,
    );
  return caller;
}

/**
 * Turns the domain's AppError, or a value Postgres refused, into its status
 * and message; anything else is a 500 that says little, logged with its
 * cause on `log` (the route's own, carrying what it was working on).
 */
export function errorResponse(error: unknown, log: Log = appLog()) {
  if (error instanceof AppError)
    return problem(HTTP_STATUS[error.code], error.message, { code: error.code });
  const refused = refusedValue(error);
  if (refused) return problem(400, refused, { code: "BAD_INPUT" });
  log.error({ err: error }, "API request failed");
  return problem(500, "Something went wrong on our side. It has been logged; try again.");
}

/**
 * A file download streamed from `body` as it is read. An error midway
 * errors the stream, so the response is aborted: a cut file never arrives
 * looking complete.
 */
export function download(
  body: AsyncIterable<Uint8Array | string>,
  file: { type: string; name: string },
) {
  const chunks = body[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else
        controller.enqueue(
          typeof next.value === "string" ? encoder.encode(next.value) : next.value,
        );
    },
    async cancel() {
      await chunks.return?.();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": file.type,
      "content-disposition": `attachment; filename="${file.name}"`,
      "cache-control": "no-store",
    },
  });
}
