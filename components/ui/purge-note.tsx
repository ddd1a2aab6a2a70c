import { formatCount, formatDate } from "../format";

type Note = { items: number; firstPurgedAt: Date; lastPurgedAt: Date };

/**
 * What a purge took from something that stays, as every page says it: a
 * list emptied by a purge never reads as though it had been empty.
 * `noun` is [one, many]: ["approval", "approvals"].
 */
export function purgedSentence(note: Note, noun: readonly [string, string]) {
  const first = formatDate(note.firstPurgedAt);
  const last = formatDate(note.lastPurgedAt);
  const one = note.items === 1;
  return (
    `${formatCount(note.items)} ${one ? `${noun[0]} was` : `${noun[1]} were`} purged per retention policy ` +
    (first === last ? `on ${last}.` : `between ${first} and ${last}.`)
  );
}

/** The purge note of a list, shown beside what is left of it (or instead of it, when nothing is). */
export function PurgeNote(props: {
  note: Note | null;
  noun: readonly [string, string];
  testId: string;
}) {
  if (!props.note) return null;
  return (
    <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400" data-testid={props.testId}>
      {purgedSentence(props.note, props.noun)}
    </p>
  );
}
