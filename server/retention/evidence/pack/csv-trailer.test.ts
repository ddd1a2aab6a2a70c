import { describe, expect, it } from "vitest";
import { csvFile } from "../../../csv";
import { CsvTrailerCheck } from "./csv-trailer";

async function written() {
  async function* rows() {
    yield ["1", 'a "quoted"\nline', "#3"];
    yield ["2", "b", "c"];
  }
  const chunks: Buffer[] = [];
  for await (const c of csvFile(["id", "x", "y"], rows())) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** The check's verdict on `bytes`, fed `size` bytes at a time. */
function check(bytes: Buffer, size: number) {
  const c = new CsvTrailerCheck("x.csv");
  for (let at = 0; at < bytes.length; at += size) c.update(bytes.subarray(at, at + size));
  return c.problems();
}

describe("a CSV file's last line, checked as it streams", () => {
  it("agrees with the file as written, however it is cut into chunks", async () => {
    const bytes = await written();
    for (const size of [1, 2, 7, 64, bytes.length])
      expect(check(bytes, size), `${size}`).toEqual([]);
  });

  it("fails a changed byte, a removed line and a file cut short, naming the file", async () => {
    const bytes = await written();
    const changed = Buffer.from(bytes);
    changed[3] = (changed[3] ?? 0) ^ 0x01;
    expect(check(changed, 5)).toEqual([
      expect.stringMatching(
        /^x\.csv: its last line says rows=2 sha256=.*, but it holds 2 rows whose SHA-256/,
      ),
    ]);
    const text = bytes.toString();
    const withoutRow = Buffer.from(text.replace("2,b,c\n", ""));
    expect(check(withoutRow, 5)).toEqual([expect.stringMatching(/says rows=2 .* holds 1 rows/)]);
    expect(check(bytes.subarray(0, bytes.length - 10), 5)).toEqual([
      expect.stringMatching(/^x\.csv: its last line is not "# end rows=N sha256=HEX"/),
    ]);
  });
});
