import { describe, expect, it } from "vitest";
import { cellValue, readCsv } from "@/test/csv";
import { csvFile, type CsvCell } from "./csv";

async function* rowsOf(rows: CsvCell[][], failAfter?: number) {
  for (const [i, row] of rows.entries()) {
    if (i === failAfter) throw new Error("the database went away");
    yield row;
  }
}

async function written(rows: AsyncIterable<CsvCell[]>) {
  let text = "";
  for await (const chunk of csvFile(["id", "value"], rows)) text += String(chunk);
  return text;
}

const TRICKY = [
  "a,b",
  'say "hi"',
  "two\nlines",
  "cr\rhere",
  '=HYPERLINK("https://evil.example","x")',
  "+1+1",
  "-2",
  "@SUM(A1)",
  "\tTab",
  "\rCR",
  "＝full-width",
  "'already quoted",
  "''twice",
  "#not a comment",
  "a # b",
  "",
  "plain",
];

describe("the CSV writer", () => {
  it("reads back, through an independent parser, exactly what was written, formulas neutralised", async () => {
    const text = await written(rowsOf(TRICKY.map((value, i) => [i, value])));
    const { records } = readCsv(text);
    expect(records.map((r) => cellValue(r.value ?? ""))).toEqual(TRICKY);
    const shown = Object.fromEntries(records.map((r, i) => [TRICKY[i] ?? "", r.value]));
    expect(shown['=HYPERLINK("https://evil.example","x")']).toBe(
      `'=HYPERLINK("https://evil.example","x")`,
    );
    for (const formula of ["+1+1", "-2", "@SUM(A1)", "\tTab", "\rCR", "＝full-width"])
      expect(shown[formula]).toBe(`'${formula}`);
    expect(shown["'already quoted"]).toBe("''already quoted");
    expect(shown.plain).toBe("plain");
    // Numbers are not text: a negative one stays a number.
    expect(readCsv(await written(rowsOf([[-5, "x"]]))).records[0]?.id).toBe("-5");
  });

  it("ends with the row count and the SHA-256 of every byte before that line", async () => {
    const text = await written(rowsOf(TRICKY.map((value, i) => [i, value])));
    const { records, trailer, sha256 } = readCsv(text);
    expect(trailer).toEqual({ rows: TRICKY.length, sha256 });
    expect(records).toHaveLength(TRICKY.length);
    expect(readCsv(await written(rowsOf([])))).toMatchObject({ records: [], trailer: { rows: 0 } });
  });

  it("fails, without a last line, when its rows fail midway", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [i, `row ${i}`]);
    let text = "";
    const failing = (async () => {
      for await (const chunk of csvFile(["id", "value"], rowsOf(rows, 4000))) text += String(chunk);
    })();
    await expect(failing).rejects.toThrow("the database went away");
    expect(text.length).toBeGreaterThan(0);
    expect(readCsv(text).trailer).toBeNull();
    expect(text).not.toContain("# end");
  });
});
