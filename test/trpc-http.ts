import superjson from "superjson";
import type { z } from "zod";
import type { SessionUser } from "../server/auth/roles";
import type { Engine } from "../server/retention/deps";
import { trpcResponse } from "../server/trpc/handler";
import type { Context } from "../server/trpc/init";
import { appRouter } from "../server/trpc/root";

export type ProcedureInfo = {
  path: string;
  type: "query" | "mutation";
  hasInput: boolean;
  /** The zod schema of its input, when it takes one. */
  input: z.ZodType | undefined;
  /** The zod schema of its answer. */
  output: z.ZodType | undefined;
  role: string;
};

/** Every procedure of the app router, read from the router itself so none can be forgotten. */
export function allProcedures(): ProcedureInfo[] {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: string; inputs: z.ZodType[]; output?: z.ZodType; meta?: { role?: string } } }
  >;
  return Object.entries(procedures).map(([path, p]) => ({
    path,
    type: p._def.type as "query" | "mutation",
    hasInput: p._def.inputs.length > 0,
    input: p._def.inputs[0],
    output: p._def.output,
    role: p._def.meta?.role ?? "NONE",
  }));
}

/** The procedure at `path`; a test naming one that does not exist fails at once. */
export function procedureAt(path: string): ProcedureInfo {
  const found = allProcedures().find((p) => p.path === path);
  if (!found) throw new Error(`no procedure ${path}`);
  return found;
}

/**
 * superjson refuses to serialize a `__proto__` key, which a hostile client
 * sends anyway: such an input goes out as the bare JSON envelope.
 */
function encode(input: unknown): unknown {
  try {
    return superjson.serialize(input);
  } catch {
    return { json: input };
  }
}

/** Calls a procedure the way the browser does (HTTP, superjson), as `user`. */
export async function callHttp(
  engine: Engine,
  user: SessionUser | null,
  procedure: ProcedureInfo,
  input: unknown,
  raw = false,
) {
  // Work that the app starts after a response is left to the test, which drains runs itself.
  const ctx: Context = { db: engine.db, engine: async () => engine, user, afterResponse: () => {} };
  const encoded = raw ? input : encode(input);
  const url = new URL(`http://localhost/api/trpc/${procedure.path}`);
  let request: Request;
  if (procedure.type === "query") {
    if (input !== undefined) url.searchParams.set("input", JSON.stringify(encoded));
    request = new Request(url);
  } else {
    request = new Request(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(encoded ?? null),
    });
  }
  const response = await trpcResponse(request, () => ctx);
  const body = (await response.json()) as {
    error?: { json?: { message?: string } };
    result?: { data: Parameters<typeof superjson.deserialize>[0] };
  };
  return {
    status: response.status,
    message: body.error?.json?.message ?? "",
    /** The answer as the browser reads it (Dates and BigInts restored). */
    data: body.result ? superjson.deserialize(body.result.data) : undefined,
  };
}
