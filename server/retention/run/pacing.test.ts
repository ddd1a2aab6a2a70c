import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../deps";
import { nextBatchSize } from "./pacing";

const settings = { ...DEFAULT_SETTINGS, policy: {}, batchSize: 1000, batchTargetMs: 100 };
const after = (size: number, items: number, workMs: number) =>
  nextBatchSize(size, { items, workMs }, settings);

describe("a slice sizes its next batch to hold its locks for about the target time", () => {
  it("shrinks after slow batches until one fits the target, and grows back once rows are cheap again", () => {
    let size = 1000;
    const sizes = [];
    // Rows that cost 0.4 ms each: 250 of them fit 100 ms.
    for (let i = 0; i < 8; i++) sizes.push((size = after(size, size, size * 0.4)));
    expect(sizes[0]).toBe(625);
    expect(sizes.at(-1)).toBeGreaterThanOrEqual(250);
    expect(sizes.at(-1)).toBeLessThan(260);
    // Rows at 0.05 ms: 2,000 would fit, but a batch never exceeds batchSize.
    for (let i = 0; i < 8; i++) size = after(size, size, size * 0.05);
    expect(size).toBe(1000);
  });

  it("grows past the batch size setting only up to a ceiling of its own (a sweep's)", () => {
    let size = 1000;
    // Rows at 0.02 ms: 5,000 fit 100 ms.
    for (let i = 0; i < 12; i++)
      size = nextBatchSize(size, { items: size, workMs: size * 0.02 }, settings, 10_000);
    expect(size).toBeGreaterThan(4900);
    expect(size).toBeLessThanOrEqual(5000);
    expect(nextBatchSize(9000, { items: 9000, workMs: 1 }, settings, 10_000)).toBe(10_000);
  });

  it("keeps its size after an empty batch, and never goes below one item", () => {
    expect(after(400, 0, 0)).toBe(400);
    expect(after(1, 1, 60_000)).toBe(1);
  });
});
