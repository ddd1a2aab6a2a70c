import { z } from "zod";
import { RECORD_UUID } from "./record-uuid";

/**
 * Ids are Postgres integers: a larger number is refused here, naming its
 * field, rather than by the database in words that name none.
 */
const INT4_MAX = 2_147_483_647;

/** The id of a record of some kind: "must be an organization id". */
export const recordId = (error: string) =>
  z.number({ error }).int(error).positive(error).max(INT4_MAX, error);

/**
 * An integer id as a URL's path gives it: its decimal digits only, so one
 * record has one path ("0x3", "3.0", " 3" and "1e0" name none) and a rule
 * of a proxy or a firewall on that path cannot be passed by another spelling.
 */
export function idFromPath(raw: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= INT4_MAX ? id : null;
}

/** The id of a plan or a run: a UUID (Postgres's gen_random_uuid). */
export const recordUuid = (error: string) => z.string({ error }).regex(RECORD_UUID, error);
