import { generateKeyPairSync } from "node:crypto";
import { workPacks } from "../../server/retention/evidence/pack/packs";
import { benchEngine } from "./engine";
import { peakRss } from "./report";
import { runCli } from "../../scripts/cli";

/** What the evidence worker reports once the queue has no pack left. */
export type EvidenceWorkerReport = { peakRss: number; cpuMs: number; ms: number; packs: number };

/**
 * An evidence worker in a process of its own, as `npm run worker` builds
 * queued packs in production: builds every queued pack (the bench queues
 * one), then prints its peak resident memory, CPU and wall time as JSON.
 */
async function main() {
  const url = process.argv[2];
  if (!url) throw new Error("Usage: evidence-worker.ts <database url>");
  const { engine, close } = await benchEngine(url, { connections: 4 });
  const key = generateKeyPairSync("ed25519").privateKey;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let packs = 0;
  try {
    packs = await workPacks({ ...engine, evidenceKey: () => key });
  } finally {
    await close();
  }
  const report: EvidenceWorkerReport = {
    peakRss: peakRss(),
    cpuMs: (({ user, system }) => Math.round((user + system) / 1000))(process.cpuUsage(cpu)),
    ms: Math.round(performance.now() - started),
    packs,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

runCli(main);
