/**
 * Calls one request may batch. A console page batches a handful; unbounded,
 * one request could make hundreds of costly calls (each chain verification
 * walks the whole audit log). The console's link keeps to it; client-safe.
 */
export const MAX_BATCH = 25;
