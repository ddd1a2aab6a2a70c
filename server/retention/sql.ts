import { Prisma } from "../generated/prisma/client";

export type Sql = Prisma.Sql;
export const sql = Prisma.sql;
export const empty = Prisma.empty;
export const raw = Prisma.raw;
export const join = Prisma.join;

/** A Prisma client or an interactive transaction on it. */
export type Tx = Prisma.TransactionClient;

/** An int[] of these ids, for `EligibleQuery.only`. */
export const idArray = (ids: number[]): Sql => sql`${ids}::int[]`;

/** `AND <column> = ANY(ids)` when a batch is being re-checked, nothing otherwise. */
export const onlyIds = (column: Sql, ids: Sql | undefined): Sql =>
  ids ? sql`AND ${column} = ANY(${ids})` : empty;
