import { createDb } from "../server/db";
import { auditAnchors } from "../server/retention/evidence/audit-anchors";
import { verifyAuditChain } from "../server/retention/evidence/audit-chain";
import { runCli } from "./cli";
import { cliDatabaseUrl } from "./dev-database";

const USAGE =
  "Usage: npm run audit:verify [-- --anchor ENTRIES:HASH ...]  (an anchor kept from a manifest or a metrics scrape)";

/** `--anchor 1234:ab12…` as the verifier takes it. */
function parseAnchor(text: string) {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (!match?.[1] || !match[2])
    throw new Error(`--anchor ${text}: expected ENTRIES:HASH. ${USAGE}`);
  return { entries: BigInt(match[1]), headHash: match[2], label: `the anchor given (${text})` };
}

/**
 * `npm run audit:verify`: walks the whole audit chain (of DATABASE_URL, or
 * the embedded database of a running `npm run dev`) and checks it reaches
 * every run's anchor in the database and every anchor given on the command
 * line. Exits 1 when the chain is broken.
 */
async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) return console.log(USAGE);
  const given = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== "--anchor" || !args[i + 1]) throw new Error(USAGE);
    given.push(parseAnchor(args[++i] ?? ""));
  }
  const db = createDb(cliDatabaseUrl(), { maxConnections: 2 });
  try {
    const verdict = await verifyAuditChain(db, {
      anchors: [...(await auditAnchors(db)), ...given],
    });
    if (verdict.intact) {
      console.log(
        `Intact: ${verdict.entries} entries, ${verdict.anchors} ${verdict.anchors === 1 ? "anchor" : "anchors"} reached.`,
      );
      return;
    }
    console.log(
      `Broken${verdict.brokenAt ? ` at entry #${verdict.brokenAt}` : ""}: ${verdict.reason}`,
    );
    process.exitCode = 1;
  } finally {
    await db.$disconnect();
  }
}

runCli(main);
