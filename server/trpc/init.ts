import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { CHOOSE_PASSWORD_FIRST, hasRole, type SessionUser } from "../auth/roles";
import { Prisma, type Db } from "../db";
import {
  AppError,
  describeZodError,
  hasIllFormedText,
  ILL_FORMED_TEXT,
  refusedValue,
  type AppErrorCode,
} from "../errors";
import type { Role } from "../generated/prisma/enums";
import type { Engine } from "../retention/deps";

export type Context = {
  db: Db;
  /** The retention engine, started on first use (it opens the queue's connections). */
  engine: () => Promise<Engine>;
  user: SessionUser | null;
  /** Runs work after the response is sent, within the request's lifetime (Next's `after`). */
  afterResponse: (work: () => Promise<unknown>) => void;
};

/**
 * The least role a procedure needs; the authorization tests read it.
 * `oneTimePassword`: callable by a user who still has to replace a one-time
 * password (only choosing the new one is).
 */
export type ProcedureMeta = { role: Role; oneTimePassword?: boolean };

const TRPC_CODE: Record<AppErrorCode, TRPCError["code"]> = {
  BAD_INPUT: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PLAN_EXPIRED: "PRECONDITION_FAILED",
  PRECONDITION: "PRECONDITION_FAILED",
  GUARDRAIL: "PRECONDITION_REQUIRED",
};

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      // Only a refused input is the caller's to fix; an answer outside its output schema is ours (500).
      const zodError =
        error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? error.cause : null;
      const appError = error.cause instanceof AppError ? error.cause : null;
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      return {
        ...shape,
        message: zodError
          ? `Invalid input: ${describeZodError(zodError)}`
          : internal && process.env.NODE_ENV === "production"
            ? "Something went wrong on our side. It has been logged; try again, and tell us if it persists."
            : shape.message,
        data: {
          ...shape.data,
          zodError: zodError ? z.flattenError(zodError) : null,
          appCode: appError?.code ?? null,
          details: appError?.details ?? null,
        },
      };
    },
  });

/** Prisma's "record not found": a stale or made-up id, never a server fault. */
const isRecordNotFound = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";

/** Turns the domain's AppError into the matching tRPC error, message intact. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof AppError)
    throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  const refused = refusedValue(cause);
  if (refused) throw new TRPCError({ code: "BAD_REQUEST", message: refused, cause });
  if (isRecordNotFound(cause)) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: "No such record: it may have been removed. Reload and try again.",
      cause,
    });
  }
  return result;
});

/** Ill-formed text in any input is the caller's to fix, before a procedure runs. */
const wellFormedInput = t.middleware(async ({ getRawInput, next }) => {
  if (hasIllFormedText(await getRawInput()))
    throw new TRPCError({ code: "BAD_REQUEST", message: ILL_FORMED_TEXT });
  return next();
});

function requireRole(role: Role) {
  return t.middleware(({ ctx, meta, next }) => {
    if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    if (ctx.user.mustChangePassword && !meta?.oneTimePassword)
      throw new TRPCError({ code: "FORBIDDEN", message: CHOOSE_PASSWORD_FIRST });
    if (!hasRole(ctx.user.role, role)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs the ${role} role; you are signed in as ${ctx.user.role}.`,
      });
    }
    return next({ ctx: { ...ctx, user: ctx.user } });
  });
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const base = t.procedure.use(appErrors).use(wellFormedInput);
export const viewerProcedure = base.meta({ role: "VIEWER" }).use(requireRole("VIEWER"));
export const operatorProcedure = base.meta({ role: "OPERATOR" }).use(requireRole("OPERATOR"));
export const adminProcedure = base.meta({ role: "ADMIN" }).use(requireRole("ADMIN"));
/** Choosing a new password: the one thing a user with a one-time password may do. */
export const choosePasswordProcedure = base
  .meta({ role: "VIEWER", oneTimePassword: true })
  .use(requireRole("VIEWER"));
