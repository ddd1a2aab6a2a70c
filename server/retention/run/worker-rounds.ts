import type { Log } from "../../log";

/** The wait after a failed round: from a second, doubling, to half a minute. */
const FIRST_WAIT_MS = 1_000;
const LONGEST_WAIT_MS = 30_000;

/**
 * `npm run worker`'s rounds until it is told to stop. A round that fails
 * (the database restarting, a network blip, S3 refusing for a while) is
 * logged and tried again after a wait that grows while failures go on: the
 * work is leased and transactional, so a retry is what a restarted process
 * would do, and one blip no longer ends the process while big runs, packs
 * and exports wait for it.
 */
export async function workRounds(
  round: () => Promise<void>,
  options: { log: Log; stopping: () => boolean; sleep?: (ms: number) => Promise<void> },
) {
  const sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let wait = FIRST_WAIT_MS;
  while (!options.stopping()) {
    try {
      await round();
      wait = FIRST_WAIT_MS;
    } catch (error) {
      options.log.error({ err: error, retryInMs: wait }, "worker round failed: trying again");
      await sleep(wait);
      wait = Math.min(wait * 2, LONGEST_WAIT_MS);
    }
  }
}
