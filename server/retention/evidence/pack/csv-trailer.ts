import { createHash } from "node:crypto";
import { CSV_TRAILER } from "../../../csv";

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const TRAILER = new RegExp(`^${CSV_TRAILER} rows=(\\d+) sha256=([0-9a-f]{64})\\n$`);

/**
 * Checks a CSV file's last line (server/csv.ts) as it streams by: the
 * SHA-256 of every byte before that line and its records (lines ended
 * outside quotes, the header aside) against what the line says. Holds
 * only the bytes since the last line break followed by more data.
 */
export class CsvTrailerCheck {
  private readonly digest = createHash("sha256");
  private held = Buffer.alloc(0);
  private lines = 0;
  private quoted = false;

  constructor(private readonly name: string) {}

  update(chunk: Buffer) {
    this.held = Buffer.concat([this.held, chunk]);
    const cut = this.held.lastIndexOf(NEWLINE, this.held.length - 2);
    if (cut < 0) return;
    const before = this.held.subarray(0, cut + 1);
    for (const byte of before)
      if (byte === QUOTE) this.quoted = !this.quoted;
      else if (byte === NEWLINE && !this.quoted) this.lines++;
    this.digest.update(before);
    this.held = this.held.subarray(cut + 1);
  }

  /** What disagrees, in words; none when the last line is there and right. */
  problems(): string[] {
    const match = TRAILER.exec(this.held.toString("utf8"));
    if (!match)
      return [
        `${this.name}: its last line is not "${CSV_TRAILER} rows=N sha256=HEX": the file was cut short or changed`,
      ];
    const rows = Math.max(this.lines - 1, 0);
    const sha256 = this.digest.digest("hex");
    return Number(match[1]) === rows && match[2] === sha256
      ? []
      : [
          `${this.name}: its last line says rows=${match[1]} sha256=${match[2]}, but it holds ${rows} rows whose SHA-256 is ${sha256}`,
        ];
  }
}
