import os from "node:os";
import { parseArgs } from "node:util";

/** Runs `fn` and returns its result with the wall time in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

export function percentile(values: number[], p: number) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const ms = (value: number) =>
  value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;

export const count = (value: number | bigint) => Number(value).toLocaleString("en-US");

export const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** Bytes in the largest unit that keeps a readable number (binary units). */
export function bytes(value: number | bigint) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let n = Number(value);
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${n.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Peak resident memory of this process so far (the kernel's high-water mark). */
export const peakRss = () => process.resourceUsage().maxRSS * 1024;

/**
 * Resident memory of this process, sampled every 20 ms: the peak of each
 * phase apart, which the kernel's high-water mark would blend.
 */
export function rssPhases() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  timer.unref();
  return {
    /** The peak since the last call, which starts the next phase. */
    phasePeak() {
      const value = Math.max(peak, process.memoryUsage.rss());
      peak = process.memoryUsage.rss();
      return value;
    },
  };
}

/** One line that says whether a measured figure meets its goal. */
export function verdict(label: string, value: string, goal: string, met: boolean) {
  console.log(
    `  ${label.padEnd(44)} ${value.padStart(14)}   goal ${goal.padEnd(10)} ${met ? "met" : "MISSED"}`,
  );
}

export function header(title: string, where: string) {
  console.log(`\n${title}`);
  console.log(
    `  machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(`  data: ${where}\n`);
}

/** Parses `--name value` numeric flags; an unknown flag is an error that lists the known ones. */
export function numericFlags<K extends string>(defaults: Record<K, number>): Record<K, number> {
  const names = Object.keys(defaults) as K[];
  const { values } = parseArgs({
    options: Object.fromEntries(names.map((n) => [n, { type: "string" as const }])),
    strict: true,
    allowPositionals: false,
  });
  const out = { ...defaults };
  for (const name of names) {
    const raw = (values as Record<string, string | undefined>)[name];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`--${name} must be a non-negative number (got ${raw})`);
    out[name] = value;
  }
  return out;
}
