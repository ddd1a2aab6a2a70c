import { createHash } from "node:crypto";
import { pipeline, Readable, Transform } from "node:stream";
import { stringify } from "csv-stringify";

export type CsvCell = string | number | bigint | null;

/** What the last line of every CSV file starts with. */
export const CSV_TRAILER = "# end";

/**
 * Every CSV file Lethe writes, streamed (RFC 4180 quoting by csv-stringify):
 *
 * - A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
 *   return (or the full-width ＝ ＋ － ＠) gets one leading `'`, so a
 *   spreadsheet shows it as text instead of running it as a formula
 *   (csv-stringify's `escape_formulas`, after OWASP). So does a cell that
 *   already begins with `'`, so the rule reverses exactly: to read a cell's
 *   value, drop the first character of any cell that begins with `'`.
 * - A cell holding `#` is always quoted, so no data line can pass for a
 *   comment or for the last line.
 * - The last line is `# end rows=<records> sha256=<hex>`: the number of
 *   records after the header, and the SHA-256 of every byte before that
 *   line. A file cut short lacks it, or its digest does not match.
 *
 * An error in `rows` destroys the stream with that error: no last line.
 */
export function csvFile(header: readonly string[], rows: AsyncIterable<CsvCell[]>): Readable {
  let records = 0;
  const digest = createHash("sha256");
  async function* counted() {
    for await (const row of rows) {
      records++;
      yield row;
    }
  }
  const body = stringify({
    header: true,
    columns: [...header],
    escape_formulas: true,
    quoted_match: /#/,
    cast: { string: (value) => (value.startsWith("'") ? `'${value}` : value) },
  });
  const trailer = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      digest.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      done(null, `${CSV_TRAILER} rows=${records} sha256=${digest.digest("hex")}\n`);
    },
  });
  // The error reaches whoever reads `trailer`, which pipeline destroys with it.
  return pipeline(Readable.from(counted()), body, trailer, () => {});
}
