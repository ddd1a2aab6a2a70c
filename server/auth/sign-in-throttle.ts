import { createHmac } from "node:crypto";
import pg, { type Pool } from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import { db, type Db } from "../db";
import { poolConfigFromUrl } from "../db-config";
import { env } from "../env";
import { audit } from "../retention/evidence/audit-log";
import { sessionSecret } from "./server-settings";

/** When failed sign-ins lock an account or an address, and for how long. */
export type LockPolicy = {
  /** Failures that lock: in a row for an account (a success starts again), in the window for an address. */
  failures: number;
  windowSeconds: number;
  /** The first lock; each further lockout doubles it, up to the longest. */
  firstLockSeconds: number;
  longestLockSeconds: number;
};

/** Five wrong passwords in a row lock the account: 1 minute, then 2, 4, … up to an hour. */
export const ACCOUNT_LOCKS: LockPolicy = {
  failures: 5,
  windowSeconds: 24 * 3600,
  firstLockSeconds: 60,
  longestLockSeconds: 3600,
};

/**
 * One address gets a larger budget, shared by every account it tries, so
 * it cannot spray a few guesses at each of many accounts; an office behind
 * one address still signs in.
 */
export const ADDRESS_LOCKS: LockPolicy = {
  failures: 50,
  windowSeconds: 3600,
  firstLockSeconds: 15 * 60,
  longestLockSeconds: 3600,
};

/** Lockouts are counted for a day from the first: after it, the doubling starts over. */
const LOCKOUT_MEMORY_SECONDS = 24 * 3600;

/** The table of rate-limiter-flexible's Postgres store (prisma/schema.prisma SignInThrottle). */
const TABLE = "sign_in_throttle";

type Scope = "account" | "address";

/** One scope's counters: failures (locked once over the policy's count) and lockouts. */
class Locks {
  private readonly failures: RateLimiterPostgres;
  private readonly lockouts: RateLimiterPostgres;

  constructor(
    pool: Pool,
    scope: Scope,
    readonly policy: LockPolicy,
  ) {
    // The table comes from a migration: the app's role may not run DDL.
    const store = { storeClient: pool, storeType: "pool", tableName: TABLE, tableCreated: true };
    this.failures = new RateLimiterPostgres({
      ...store,
      keyPrefix: `${scope}-failures`,
      points: policy.failures,
      duration: policy.windowSeconds,
      // One of the four limiters on the table clears its expired rows.
      clearExpiredByTimeout: scope === "account",
    });
    this.lockouts = new RateLimiterPostgres({
      ...store,
      keyPrefix: `${scope}-lockouts`,
      points: Number.MAX_SAFE_INTEGER,
      duration: LOCKOUT_MEMORY_SECONDS,
      clearExpiredByTimeout: false,
    });
  }

  /** Seconds until `key` may try again; 0 when it is not locked. */
  async lockedFor(key: string): Promise<number> {
    const state = await this.failures.get(key);
    return state && state.consumedPoints > this.policy.failures
      ? Math.ceil(state.msBeforeNext / 1000)
      : 0;
  }

  /** Counts a failure; the lock it starts (only the failure that reaches the count starts one). */
  async failed(key: string): Promise<{ seconds: number; lockout: number } | null> {
    const counted = await this.failures.penalty(key);
    if (counted.consumedPoints !== this.policy.failures) return null;
    const lockout = (await this.lockouts.penalty(key)).consumedPoints;
    const seconds = Math.min(
      this.policy.firstLockSeconds * 2 ** (lockout - 1),
      this.policy.longestLockSeconds,
    );
    await this.failures.block(key, seconds);
    return { seconds, lockout };
  }

  async forget(key: string) {
    await Promise.all([this.failures.delete(key), this.lockouts.delete(key)]);
  }
}

/** A sign-in attempt: the email typed (normalized) and the client address, when known. */
export type SignInAttempt = { email: string; address: string | null };

/**
 * Failed password sign-ins, counted per account and per client address in
 * Postgres (rate-limiter-flexible's RateLimiterPostgres), so every server
 * instance sees the same counts. The account is the email typed, whether
 * or not a user has it, so a lock says nothing about who exists. Keys are
 * HMACs of the email or address under a server secret: the table holds
 * neither.
 */
export class SignInThrottle {
  private readonly accounts: Locks;
  private readonly addresses: Locks;

  constructor(
    private readonly deps: {
      pool: Pool;
      db: Db;
      secret: string;
      accounts?: LockPolicy;
      addresses?: LockPolicy;
    },
  ) {
    this.accounts = new Locks(deps.pool, "account", deps.accounts ?? ACCOUNT_LOCKS);
    this.addresses = new Locks(deps.pool, "address", deps.addresses ?? ADDRESS_LOCKS);
  }

  private key(scope: Scope, value: string) {
    return createHmac("sha256", this.deps.secret).update(`${scope}:${value}`).digest("base64url");
  }

  /** Seconds until this attempt may be checked at all; 0 when neither its account nor its address is locked. */
  async lockedFor(attempt: SignInAttempt): Promise<number> {
    const [account, address] = await Promise.all([
      this.accounts.lockedFor(this.key("account", attempt.email)),
      attempt.address ? this.addresses.lockedFor(this.key("address", attempt.address)) : 0,
    ]);
    return Math.max(account, address);
  }

  /**
   * Counts a failed sign-in against its account and its address; the
   * seconds of a lock it started (0 if none), each lock audited with ids
   * only: the user when the account exists, never the email or the address.
   */
  async failed(attempt: SignInAttempt, userId: number | null): Promise<number> {
    const [account, address] = await Promise.all([
      this.accounts.failed(this.key("account", attempt.email)),
      attempt.address ? this.addresses.failed(this.key("address", attempt.address)) : null,
    ]);
    for (const [scope, lock] of [
      ["account", account],
      ["address", address],
    ] as const) {
      if (!lock) continue;
      await audit(this.deps.db, {
        actor: "system",
        action: "auth.sign_in_locked",
        target: scope === "account" && userId !== null ? `user:${userId}` : null,
        details: { scope, seconds: lock.seconds, lockout: lock.lockout },
      });
    }
    return Math.max(account?.seconds ?? 0, address?.seconds ?? 0);
  }

  /** A right password: the account's failures and lockouts start again (its address's do not). */
  async succeeded(attempt: SignInAttempt) {
    await this.accounts.forget(this.key("account", attempt.email));
  }
}

const globalForThrottle = globalThis as unknown as { letheSignInThrottle?: SignInThrottle };

/** The process's throttle, on a small pool of its own (the store speaks pg, not Prisma). */
export function signInThrottle(): SignInThrottle {
  if (!globalForThrottle.letheSignInThrottle) {
    const pool = new pg.Pool({ ...poolConfigFromUrl(env().DATABASE_URL), max: 2 });
    // An idle connection that dies (a restart, a failover) is dropped and
    // replaced by the pool; unheard, its error would end the process.
    pool.on("error", () => {});
    globalForThrottle.letheSignInThrottle = new SignInThrottle({
      pool,
      db: db(),
      secret: sessionSecret(),
    });
  }
  return globalForThrottle.letheSignInThrottle;
}
