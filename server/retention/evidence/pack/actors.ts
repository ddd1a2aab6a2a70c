import type { CsvCell } from "../../../csv";
import type { Db } from "../../../db";
import { actorLabels, keyActor, type ActorRef } from "../actor-label";

/**
 * actors.csv's columns. A token's line describes the token and, in the
 * person's columns, its owner: who acted through it.
 */
export const ACTORS_HEADER = [
  "actor",
  "label",
  "user_id",
  "name",
  "email",
  "role",
  "disabled_at",
  "created_at",
  "token_name",
  "token_scope",
  "token_created_at",
  "token_expires_at",
  "token_revoked_at",
] as const;

/**
 * The actor keys an audit entry names: who did it, and the person or token
 * it was done to (a user added or disabled, a role changed, a token
 * revoked), so the pack says who each one is.
 */
export function entryActors(entry: { actor: string; target: string | null }) {
  return [entry.actor, entry.target].filter(
    (key): key is string => key !== null && keyActor(key) !== null,
  );
}

const KIND_ORDER: Record<ActorRef["kind"], number> = { system: 0, schedule: 0, user: 1, token: 2 };
const refId = (ref: ActorRef) =>
  ref.kind === "user" ? ref.userId : ref.kind === "token" ? ref.tokenId : 0;
const iso = (at: Date | null | undefined) => at?.toISOString() ?? null;

/**
 * One line per actor key, "system" first, then people and tokens by id:
 * each labelled as the console labels it, with the person as they are when
 * the pack is built (a person or token since removed: its label says so,
 * the rest is empty).
 */
export async function* actorRows(db: Db, keys: Iterable<string>): AsyncGenerator<CsvCell[]> {
  const named = [...new Set(keys)].flatMap((key) => {
    const ref = keyActor(key);
    return ref ? [{ key, ref }] : [];
  });
  named.sort(
    (a, b) => KIND_ORDER[a.ref.kind] - KIND_ORDER[b.ref.kind] || refId(a.ref) - refId(b.ref),
  );
  const ids = (kind: "user" | "token") =>
    named.flatMap(({ ref }) => (ref.kind === kind ? [refId(ref)] : []));
  const person = {
    id: true,
    name: true,
    email: true,
    role: true,
    disabledAt: true,
    createdAt: true,
  } as const;
  const [label, users, tokens] = await Promise.all([
    actorLabels(
      db,
      named.map((n) => n.ref),
    ),
    db.user.findMany({ where: { id: { in: ids("user") } }, select: person }),
    db.apiToken.findMany({
      where: { id: { in: ids("token") } },
      select: {
        id: true,
        name: true,
        scope: true,
        createdAt: true,
        expiresAt: true,
        revokedAt: true,
        user: { select: person },
      },
    }),
  ]);
  const userById = new Map(users.map((u) => [u.id, u]));
  const tokenById = new Map(tokens.map((t) => [t.id, t]));
  for (const { key, ref } of named) {
    const token = ref.kind === "token" ? tokenById.get(ref.tokenId) : undefined;
    const user = ref.kind === "user" ? userById.get(ref.userId) : token?.user;
    yield [
      key,
      label(ref),
      user?.id ?? null,
      user?.name ?? null,
      user?.email ?? null,
      user?.role ?? null,
      iso(user?.disabledAt),
      iso(user?.createdAt),
      token?.name ?? null,
      token?.scope ?? null,
      iso(token?.createdAt),
      iso(token?.expiresAt),
      iso(token?.revokedAt),
    ];
  }
}
