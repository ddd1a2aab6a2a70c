import type { Db } from "./db";

/**
 * Lethe's times are stored as UTC without a zone (Prisma's `timestamp(3)`),
 * and the engine compares them with instants: Postgres converts one to the
 * other in the session's TimeZone. Anywhere but UTC, every cutoff and pin
 * would move by the zone's offset (east of UTC deleting early). So a
 * database whose sessions are not on UTC (the server's default, often its
 * host's zone, or a setting of the database or role) is refused, naming the
 * fix. Tested on two dates, so a zone at UTC only in winter is refused too.
 */
export async function timeZoneProblems({ db }: { db: Db }): Promise<string[]> {
  const [row] = await db.$queryRaw<{ zone: string; database: string; utc: boolean }[]>`
    SELECT current_setting('TimeZone') AS zone, current_database()::text AS database,
           '2000-01-01 00:00'::timestamp = '2000-01-01 00:00Z'::timestamptz::timestamp
       AND '2000-07-01 00:00'::timestamp = '2000-07-01 00:00Z'::timestamptz::timestamp AS utc`;
  if (!row || row.utc) return [];
  return [
    `the database's TimeZone is ${row.zone}, not UTC: Lethe's stored times are UTC, so its cutoffs and pins would move by that offset. Run \`ALTER DATABASE "${row.database}" SET timezone TO 'UTC'\` as its owner (and drop any timezone set on the app's role), then restart`,
  ];
}
