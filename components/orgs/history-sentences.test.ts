import { describe, expect, it } from "vitest";
import { categoryOutcome, historySentence, type HistoryEntry } from "./history-sentences";

const at = new Date("2026-12-01T04:00:00Z");
const run = (over: Partial<Extract<HistoryEntry, { kind: "run" }>> = {}): HistoryEntry => ({
  kind: "run",
  key: "k",
  at,
  actor: "daily schedule",
  runId: "a4837789-8067-4277-99c9-d7d8fde6b491",
  trigger: "CRON",
  status: "SUCCEEDED",
  finishedAt: at,
  erasureId: null,
  categories: [
    {
      category: "ARTIFACTS",
      archived: false,
      deleted: 2350,
      skipped: 0,
      failed: 0,
      bytesFreed: 1288490188n,
      window: null,
    },
    {
      category: "ERRORS",
      archived: false,
      deleted: 8,
      skipped: 1,
      failed: 0,
      bytesFreed: 0n,
      window: null,
    },
    {
      category: "PROMPTS",
      archived: true,
      deleted: 7,
      skipped: 0,
      failed: 0,
      bytesFreed: 0n,
      window: null,
    },
  ],
  ...over,
});

describe("an org's history in sentences", () => {
  it("a run says what it deleted with bytes, apart from what it archived, and what it set aside", () => {
    expect(historySentence(run())).toBe(
      "Daily run deleted 2,358 items (1.2 GB) and archived 7 items in 3 categories; 1 item set aside.",
    );
    const entry = run();
    const [artifacts, errors, prompts] = entry.kind === "run" ? entry.categories : [];
    if (!artifacts || !errors || !prompts) throw new Error("three categories");
    expect(categoryOutcome(artifacts)).toBe("Artifacts: deleted 2,350 items (1.2 GB)");
    expect(categoryOutcome(errors)).toBe("Errors (resolved): deleted 8 items (0 B), 1 skipped");
    expect(categoryOutcome(prompts)).toBe("Prompts (archive): archived 7 items");
  });

  it("a pin a GDPR erasure ended says which erasure took its item", () => {
    const pin = (event: "removed" | "ended", erasureId: number | null): HistoryEntry => ({
      kind: "pin",
      key: "p",
      at,
      actor: "system",
      event,
      id: 4,
      scope: "ARTIFACT",
      incidentId: null,
      artifactId: 1802,
      until: "2027-01-31",
      from: null,
      erasureId,
      reason: "customer dispute",
    });
    expect(historySentence(pin("ended", 9))).toBe(
      "Pin #4 on artifact #1802 ended before 2027-01-31: GDPR erasure #9 erased it (only a legal hold keeps an item from an erasure).",
    );
    expect(historySentence(pin("removed", null))).toBe(
      "Pin #4 on artifact #1802 removed before 2027-01-31: what it kept is under policy again.",
    );
  });

  it("items purged into a restore window are freed when it ends; what came back is said", () => {
    const windowed = {
      category: "ARTIFACTS" as const,
      archived: false,
      deleted: 46,
      skipped: 0,
      failed: 0,
      bytesFreed: 0n,
      window: { waiting: 43, waitingBytes: 2048n, restored: 3, freedAfter: 0n },
    };
    expect(categoryOutcome(windowed)).toBe(
      "Artifacts: deleted 46 items into its restore window (2.0 KB freed when it ends), 3 restored",
    );
    const ended = {
      ...windowed,
      window: { ...windowed.window, waiting: 0, waitingBytes: 0n, freedAfter: 2048n },
    };
    expect(categoryOutcome(ended)).toBe(
      "Artifacts: deleted 46 items into its restore window (2.0 KB), 3 restored",
    );
    expect(historySentence(run({ categories: [windowed] }))).toBe(
      "Daily run deleted 46 items (2.0 KB freed when the restore window ends) in 1 category.",
    );
    const errors = { ...windowed, category: "ERRORS" as const, bytesFreed: 1024n, window: null };
    expect(historySentence(run({ categories: [windowed, errors] }))).toBe(
      "Daily run deleted 92 items (1.0 KB freed, 2.0 KB more freed when the restore window ends) in 2 categories.",
    );
  });

  it("a partial run, a manual one with one category, an erasure's", () => {
    expect(historySentence(run({ status: "PARTIAL", trigger: "OPERATOR", categories: [] }))).toBe(
      "Manual run deleted 0 items (0 B); it ended partial.",
    );
    expect(
      historySentence(
        run({
          trigger: "ERASURE",
          erasureId: 3,
          categories: [
            {
              category: "ARTIFACTS",
              archived: false,
              deleted: 1,
              skipped: 0,
              failed: 0,
              bytesFreed: 1536n,
              window: null,
            },
          ],
        }),
      ),
    ).toBe("Run of GDPR erasure #3 deleted 1 item (1.5 KB) in 1 category.");
  });

  it("previews, holds, overrides and erasures", () => {
    const base = { key: "k", at, actor: "Ada" };
    expect(
      historySentence({
        ...base,
        kind: "preview",
        id: "p",
        trigger: "OPERATOR",
        outcome: "expired",
        orgCount: 3,
        items: 12n,
        bytes: 2048n,
        categories: 2,
      }),
    ).toBe(
      "Previewed a purge of 3 organizations: it would purge 12 items (2.0 KB) of this organization; it expired unconfirmed.",
    );
    expect(
      historySentence({
        ...base,
        kind: "hold",
        event: "placed",
        id: 4,
        scope: "INCIDENT",
        incidentId: 18,
        artifactId: null,
        reason: "litigation",
      }),
    ).toBe("Legal hold #4 placed on incident #18: “litigation”.");
    expect(
      historySentence({
        ...base,
        kind: "override",
        event: "changed",
        category: "ARTIFACTS",
        from: 40,
        to: "unlimited",
      }),
    ).toBe("Override for Artifacts changed from 40 days to unlimited.");
    expect(
      historySentence({
        ...base,
        kind: "override",
        event: "removed",
        category: "ERRORS",
        from: 1,
        to: "plan",
      }),
    ).toBe("Override for Errors (resolved) removed (was 1 day): the plan's default applies again.");
    expect(
      historySentence({
        ...base,
        kind: "erasure",
        event: "requested",
        requestId: 3,
        scope: { kind: "ORGANIZATION" },
        status: "EXECUTED",
        runId: null,
      }),
    ).toBe("GDPR erasure #3 requested: Whole organization; now executed.");
  });
});
