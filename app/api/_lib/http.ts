import { createHash, timingSafeEqual } from "node:crypto";
import { userForToken } from "@/server/auth/api-tokens";
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
