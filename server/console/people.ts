import type { Db } from "../db";

/**
 * The names of the people behind `ids` (who placed a hold, requested an
 * erasure): a user since removed is shown as "user 12".
 */
export async function peopleNames(db: Db, ids: number[]) {
  const people = await db.user.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, name: true },
  });
  const names = new Map(people.map((p) => [p.id, p.name]));
  return (id: number) => names.get(id) ?? `user ${id}`;
}
