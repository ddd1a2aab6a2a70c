import { randomBytes } from "node:crypto";
import { z } from "zod";
import { hashPassword } from "../auth/password";
import { END_SESSIONS } from "../auth/session-revocation";
import { Prisma, type Db } from "../db";
import { AppError, describeZodError } from "../errors";
import type { Role } from "../generated/prisma/enums";
import { appendAudit, type Actor } from "../retention/evidence/audit-log";
import { sql, type Tx } from "../retention/sql";
import { refuseDemoEmailInProduction } from "./demo-accounts";
import { createUserInput, email as emailInput, newPassword } from "./inputs";

/** Where a change to an account came from, for the audit log. */
export type Via = "console" | "cli";

export type AccountChange = { actor: Actor; via: Via };

/** Parses `input` or refuses it, naming each bad field; nothing is changed. */
export function parseOrRefuse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new AppError("BAD_INPUT", `Invalid input: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** A password to type once: 20 characters of base64url, about 120 bits. */
export const oneTimePassword = () => randomBytes(15).toString("base64url");

const ACCOUNT = {
  id: true,
  email: true,
  name: true,
  role: true,
  createdAt: true,
  disabledAt: true,
  mustChangePassword: true,
  passwordHash: true,
} as const;

type AccountRow = Prisma.UserGetPayload<{ select: typeof ACCOUNT }>;

/** An account as the console and CLI show it; never the password hash. */
function view({ passwordHash, ...user }: AccountRow) {
  return { ...user, hasPassword: passwordHash !== null };
}
export type Account = ReturnType<typeof view>;

export async function listUsers(db: Db): Promise<Account[]> {
  const users = await db.user.findMany({ select: ACCOUNT, orderBy: { id: "asc" } });
  return users.map(view);
}

export async function userByEmail(db: Db, email: string): Promise<Account> {
  const address = parseOrRefuse(emailInput, email);
  const user = await db.user.findUnique({ where: { email: address }, select: ACCOUNT });
  if (!user) throw new AppError("NOT_FOUND", `No user with the email ${address}.`);
  return view(user);
}

/**
 * Adds an account. Without a password, it gets a one-time one, returned
 * here once, that must be changed at first sign-in.
 */
export async function createUser(
  db: Db,
  input: AccountChange & { production: boolean; account: unknown; password?: string },
) {
  const account = parseOrRefuse(createUserInput, input.account);
  refuseDemoEmailInProduction(account.email, input.production);
  const chosen =
    input.password === undefined
      ? null
      : parseOrRefuse(z.object({ password: newPassword }), { password: input.password }).password;
  const existing = await db.user.findUnique({ where: { email: account.email } });
  if (existing) throw new AppError("CONFLICT", `A user with the email ${account.email} exists.`);
  const password = chosen ?? oneTimePassword();
  const passwordHash = await hashPassword(password);
  try {
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { ...account, passwordHash, mustChangePassword: chosen === null },
        select: ACCOUNT,
      });
      await appendAudit(tx, {
        actor: input.actor,
        action: "user.created",
        target: `user:${created.id}`,
        details: { role: created.role, via: input.via, oneTimePassword: chosen === null },
      });
      return created;
    });
    return { user: view(user), oneTimePassword: chosen === null ? password : null };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw new AppError("CONFLICT", `A user with the email ${account.email} exists.`);
    throw error;
  }
}

/**
 * Runs a change to one account with the set of admins locked, so that two
 * admins demoting or disabling each other at once cannot leave none.
 */
async function changeAccount<T>(
  db: Db,
  userId: number,
  change: (tx: Tx, user: AccountRow, otherActiveAdmins: number) => Promise<T>,
) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw(sql`SELECT pg_advisory_xact_lock(hashtext('lethe:admins'))`);
    const user = await tx.user.findUnique({ where: { id: userId }, select: ACCOUNT });
    if (!user)
      throw new AppError(
        "NOT_FOUND",
        `No user #${userId}: reload the list of users and try again.`,
      );
    const otherActiveAdmins = await tx.user.count({
      where: { role: "ADMIN", disabledAt: null, id: { not: userId } },
    });
    return change(tx, user, otherActiveAdmins);
  });
}

/** Refuses a change that would take the last active admin, or the actor's own admin rights, away. */
function keepAnAdmin(actor: Actor, user: AccountRow, otherActiveAdmins: number, what: string) {
  if (user.role !== "ADMIN" || user.disabledAt) return;
  if (actor !== "system" && actor.id === user.id)
    throw new AppError("PRECONDITION", `You cannot ${what} yourself: ask another admin.`);
  if (otherActiveAdmins === 0)
    throw new AppError(
      "PRECONDITION",
      `User ${user.id} is the last active admin: make another user ADMIN first, so that someone can still govern.`,
    );
}

export async function setRole(db: Db, input: AccountChange & { userId: number; role: Role }) {
  return changeAccount(db, input.userId, async (tx, user, otherActiveAdmins) => {
    if (user.role === input.role)
      throw new AppError("CONFLICT", `User ${user.id} already has the ${input.role} role.`);
    if (input.role !== "ADMIN") keepAnAdmin(input.actor, user, otherActiveAdmins, "demote");
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { role: input.role },
      select: ACCOUNT,
    });
    await appendAudit(tx, {
      actor: input.actor,
      action: "user.role_changed",
      target: `user:${user.id}`,
      details: { from: user.role, to: input.role, via: input.via },
    });
    return view(updated);
  });
}

/** Disables an account (it loses access at once, API tokens included) or enables it again. */
export async function setDisabled(
  db: Db,
  input: AccountChange & { userId: number; disabled: boolean; production: boolean },
) {
  return changeAccount(db, input.userId, async (tx, user, otherActiveAdmins) => {
    if (Boolean(user.disabledAt) === input.disabled)
      throw new AppError(
        "CONFLICT",
        `User ${user.id} is already ${input.disabled ? "disabled" : "enabled"}.`,
      );
    if (input.disabled) keepAnAdmin(input.actor, user, otherActiveAdmins, "disable");
    else refuseDemoEmailInProduction(user.email, input.production);
    const updated = await tx.user.update({
      where: { id: user.id },
      data: input.disabled ? { disabledAt: new Date(), ...END_SESSIONS } : { disabledAt: null },
      select: ACCOUNT,
    });
    await appendAudit(tx, {
      actor: input.actor,
      action: input.disabled ? "user.disabled" : "user.enabled",
      target: `user:${user.id}`,
      details: { role: user.role, via: input.via },
    });
    return view(updated);
  });
}

/** Gives the account a new one-time password, returned once; its own is gone. */
export async function resetPassword(db: Db, input: AccountChange & { userId: number }) {
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const user = await changeAccount(db, input.userId, async (tx, user) => {
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, mustChangePassword: true, ...END_SESSIONS },
      select: ACCOUNT,
    });
    await appendAudit(tx, {
      actor: input.actor,
      action: "user.password_reset",
      target: `user:${user.id}`,
      details: { via: input.via },
    });
    return updated;
  });
  return { user: view(user), oneTimePassword: password };
}
