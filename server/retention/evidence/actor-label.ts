import type { Db } from "../../db";
import type { PurgeTrigger } from "../../generated/prisma/enums";

/**
 * Who did something, as the records say it: a person, one of their API
 * tokens, the daily schedule, or Lethe itself (a run ending, a cleanup).
 * `viaApi`: a person's call through the API recorded before the token was.
 */
export type ActorRef =
  | { kind: "schedule" }
  | { kind: "system" }
  | { kind: "user"; userId: number; viaApi?: boolean }
  | { kind: "token"; tokenId: number };

/** Who made a preview or started a run, from its row (`tokenId` is recorded since tokens were named). */
export function purgeActor(row: {
  trigger: PurgeTrigger;
  userId: number | null;
  tokenId: number | null;
}): ActorRef {
  if (row.tokenId !== null) return { kind: "token", tokenId: row.tokenId };
  if (row.userId !== null)
    return { kind: "user", userId: row.userId, viaApi: row.trigger === "API" };
  return row.trigger === "CRON" ? { kind: "schedule" } : { kind: "system" };
}

/**
 * Who an actor key names, as the audit log writes it (`actorKey`): "system",
 * "user:N" or "token:N"; null for any other text (a target such as "run:…").
 */
export function keyActor(key: string): ActorRef | null {
  if (key === "system") return { kind: "system" };
  const match = /^(user|token):(\d+)$/.exec(key);
  if (!match) return null;
  const id = Number(match[2]);
  return match[1] === "token" ? { kind: "token", tokenId: id } : { kind: "user", userId: id };
}

/** Who an audit entry names: `actor` is "system", "user:N" or "token:N" (owner in `actorId`). */
export function auditActor(entry: {
  actor: string;
  actorId: number | null;
  details: unknown;
}): ActorRef {
  const named = keyActor(entry.actor);
  if (named?.kind === "token") return named;
  if (entry.actorId !== null) return { kind: "user", userId: entry.actorId };
  // The schedule's own preview and confirmation say so in their details.
  const trigger = (entry.details as { trigger?: unknown } | null)?.trigger;
  return trigger === "CRON" ? { kind: "schedule" } : { kind: "system" };
}

/**
 * The labels of `refs`, looked up at once: a person by name, a token as
 * "API token NAME (owner)", "daily schedule", "system". A person or token
 * since removed is "user #12 (removed)", never a bare id.
 */
export async function actorLabels(db: Db, refs: ActorRef[]) {
  const userIds = new Set<number>();
  const tokenIds = new Set<number>();
  for (const ref of refs) {
    if (ref.kind === "user") userIds.add(ref.userId);
    if (ref.kind === "token") tokenIds.add(ref.tokenId);
  }
  const [users, tokens] = await Promise.all([
    userIds.size
      ? db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true } })
      : [],
    tokenIds.size
      ? db.apiToken.findMany({
          where: { id: { in: [...tokenIds] } },
          select: { id: true, name: true, user: { select: { name: true } } },
        })
      : [],
  ]);
  const names = new Map(users.map((u) => [u.id, u.name]));
  const tokenNames = new Map(tokens.map((t) => [t.id, `API token ${t.name} (${t.user.name})`]));
  return (ref: ActorRef): string => {
    switch (ref.kind) {
      case "schedule":
        return "daily schedule";
      case "system":
        return "system";
      case "token":
        return tokenNames.get(ref.tokenId) ?? `API token #${ref.tokenId} (removed)`;
      case "user": {
        const name = names.get(ref.userId) ?? `user #${ref.userId} (removed)`;
        return ref.viaApi ? `${name} via API` : name;
      }
    }
  };
}

/** People by id (who placed a hold, requested an erasure), labelled as everywhere else. */
export async function peopleNames(db: Db, ids: number[]) {
  const label = await actorLabels(
    db,
    ids.map((userId) => ({ kind: "user" as const, userId })),
  );
  return (userId: number) => label({ kind: "user", userId });
}
