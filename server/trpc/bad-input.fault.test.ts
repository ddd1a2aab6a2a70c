import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/auth/roles";
import { builders } from "@/test/builders";
import { createTestEngine, type TestEngine } from "@/test/engine";
import { badVariant, hostileValue } from "@/test/hostile";
import { rowCounts } from "@/test/row-counts";
import { allProcedures, callHttp } from "@/test/trpc-http";
import { MISSING, sampleInputs } from "@/test/trpc-samples";

/** Cases per procedure that takes input, and per procedure that takes none. */
const RUNS_WITH_INPUT = 30;
const RUNS_WITHOUT_INPUT = 5;

let t: TestEngine;
let admin: SessionUser;
beforeAll(async () => {
  t = await createTestEngine();
  const b = builders(t.engine.db, t.engine.store);
  const { id, email, name } = await b.user("ADMIN");
  admin = { id, email, name, role: "ADMIN" };
  const org = await b.org("FREE");
  await b.artifact(org.id, 40);
  await b.error(org.id, 40);
});
afterAll(() => t.close());

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A refusal names the problem: a validation error names the field that is
 * wrong ("Invalid input: days: must be at most 2555 days"); any other says
 * what is missing or wrong in words, not "something went wrong".
 */
function expectNamedProblem(status: number, message: string, blame: string, where: string) {
  if (status === 400 && message.startsWith("Invalid input: ")) {
    expect(message, where).toMatch(new RegExp(`(^Invalid input: |; )(${escape(blame)}|input)[.:]`));
  } else {
    expect(message.length, where).toBeGreaterThan(10);
    expect(message, where).not.toMatch(/something went wrong/i);
  }
}

describe("bad input to every procedure (property-based)", () => {
  it("never a 5xx, never a change in the database, always a message that names the problem", async () => {
    // Every sample names records that do not exist, so even an input that
    // passes validation by chance cannot change anything that is there.
    const samples = sampleInputs(MISSING);
    const tally = { cases: 0, outOfRange: 0, refused400: 0, refusedOther: 0, accepted: 0 };
    for (const procedure of allProcedures()) {
      const arbitrary = procedure.hasInput
        ? badVariant(samples[procedure.path] ?? {}, procedure.input)
        : hostileValue.map((input) => ({ input, blame: "input", outOfRange: false }));
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ input, blame, outOfRange }) => {
          tally.cases++;
          if (outOfRange) tally.outOfRange++;
          const where = `${procedure.path} ${blame} ${JSON.stringify(input)?.slice(0, 200)}`;
          const before = await rowCounts(t.engine.db);
          const { status, message } = await callHttp(t.engine, admin, procedure, input);
          expect(status, `${where}: ${message}`).toBeLessThan(500);
          // A number, day or date out of its range is refused by validation, by name.
          if (outOfRange) expect(status, `${where}: ${message}`).toBe(400);
          if (status < 400) {
            tally.accepted++;
            return;
          }
          if (status === 400) tally.refused400++;
          else tally.refusedOther++;
          expect(await rowCounts(t.engine.db), where).toEqual(before);
          expectNamedProblem(status, message, blame, where);
          if (outOfRange) expect(message, where).toMatch(/^Invalid input: /);
        }),
        { numRuns: procedure.hasInput ? RUNS_WITH_INPUT : RUNS_WITHOUT_INPUT },
      );
    }
    console.log(
      `bad input (tRPC): ${tally.cases} property-based cases over ${allProcedures().length} procedures: ` +
        `(${tally.outOfRange} with a number, day or date out of range), ` +
        `${tally.refused400} refused 400 naming the field, ${tally.refusedOther} refused 404/409/412 ` +
        `saying why, ${tally.accepted} accepted (harmless: valid by chance, or ignored); ` +
        `0 answered 5xx; no refusal changed a row`,
    );
    expect(tally.refused400).toBeGreaterThan(tally.cases / 2);
  });
});
