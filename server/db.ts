import { PrismaPg } from "@prisma/adapter-pg";
import type { PoolClient } from "pg";
import { poolConfigFromUrl } from "./db-config";
import { env } from "./env";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;
export { Prisma } from "./generated/prisma/client";

type PgTransaction = Awaited<
  ReturnType<Awaited<ReturnType<PrismaPg["connect"]>>["startTransaction"]>
>;

/**
 * Prisma 6.19 gives a transaction's connection back to the pool only after
 * its COMMIT or ROLLBACK succeeds. When the connection itself died
 * mid-transaction (a network drop, a failover, pg_terminate_backend), that
 * statement throws and the connection is never released: each such drop
 * cost the pool a slot for good, and once all were gone every purge batch
 * waited for a connection that never came. Here the pool discards the
 * connection instead. A failed ROLLBACK is not an error: the server rolled
 * back when the connection died. A failed COMMIT still is.
 */
function discardOnFailedEnd(tx: PgTransaction): PgTransaction {
  const { client } = tx as unknown as { client: PoolClient };
  const executeRaw = tx.executeRaw.bind(tx);
  tx.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.sql !== "COMMIT" && query.sql !== "ROLLBACK") throw error;
      client.release(error instanceof Error ? error : new Error(String(error)));
      tx.commit = tx.rollback = async () => {};
      if (query.sql === "ROLLBACK") return 0;
      throw error;
    }
  };
  return tx;
}

class PoolSafePrismaPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) =>
      discardOnFailedEnd(await startTransaction(isolationLevel));
    return adapter;
  }
}

/** A Prisma client over the pg driver adapter (no native engine). */
export function createDb(url: string, options: { maxConnections?: number } = {}): Db {
  const adapter = new PoolSafePrismaPg({
    ...poolConfigFromUrl(url),
    max: options.maxConnections ?? 10,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { letheDb?: Db };

/**
 * The process's one database handle. Kept on globalThis so that dev-mode hot
 * reloads reuse the pool instead of opening a new one per edit.
 */
export function db(): Db {
  globalForDb.letheDb ??= createDb(env().DATABASE_URL);
  return globalForDb.letheDb;
}
