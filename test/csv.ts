import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { CSV_TRAILER } from "../server/csv";

const TRAILER = new RegExp(`^${CSV_TRAILER} rows=(\\d+) sha256=([0-9a-f]{64})\\n$`);

/**
 * A CSV file of Lethe's as an auditor reads it (server/csv.ts): the last
 * line's row count and SHA-256 (null when there is no such line), the
 * SHA-256 of everything before it, and the records before it, parsed by
 * an independent CSV parser.
 */
export function readCsv(text: string) {
  const cut = text.lastIndexOf("\n", text.length - 2) + 1;
  const content = text.slice(0, cut);
  const match = TRAILER.exec(text.slice(cut));
  return {
    records: parse(content, { columns: true }) as Record<string, string>[],
    trailer: match ? { rows: Number(match[1]), sha256: match[2] } : null,
    sha256: createHash("sha256").update(content).digest("hex"),
  };
}

/** A cell back to its value: the writer adds one `'` before a cell that begins with `'` or a formula. */
export const cellValue = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);
