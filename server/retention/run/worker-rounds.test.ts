import pino from "pino";
import { describe, expect, it } from "vitest";
import { workRounds } from "./worker-rounds";

describe("the worker's rounds", () => {
  it("ride out failing rounds (a database restart), waiting longer while they fail, and stop when told", async () => {
    const lines: { msg: string; retryInMs?: number; err?: { message: string } }[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const outcomes = ["down", "down", "down", "up", "down", "up", "up"];
    const waits: number[] = [];
    let rounds = 0;
    await workRounds(
      () => {
        const outcome = outcomes[rounds++];
        return outcome === "down"
          ? Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432"))
          : Promise.resolve();
      },
      {
        log,
        stopping: () => rounds >= outcomes.length,
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      },
    );
    expect(rounds).toBe(outcomes.length);
    // Growing while the failures last; from the start again after a round that worked.
    expect(waits).toEqual([1_000, 2_000, 4_000, 1_000]);
    expect(lines.map((l) => [l.msg, l.retryInMs, l.err?.message])).toEqual(
      waits.map((ms) => [
        "worker round failed: trying again",
        ms,
        "connect ECONNREFUSED 127.0.0.1:5432",
      ]),
    );
  });
});
