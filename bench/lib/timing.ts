import type { Db } from "../../server/db";

/**
 * Records how long each interactive transaction lasts, BEGIN to COMMIT: the
 * time its row locks are held. Every purge batch is one; so is the run's
 * bookkeeping, so the longest of them bounds the longest batch.
 */
export function timingTransactions(db: Db, durations: number[]): Db {
  return new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop !== "$transaction" || typeof value !== "function") {
        return typeof value === "function" ? value.bind(target) : value;
      }
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          if (typeof args[0] === "function") durations.push(performance.now() - started);
        }
      };
    },
  });
}
