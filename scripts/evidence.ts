import { createPublicKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { evidenceSigningKey } from "../server/evidence-key";
import { DEFAULT_EVIDENCE_KEY_FILE, isEd25519PrivateKey } from "../server/evidence-key-pem";
import { keyFingerprint, publicKeyPem } from "../server/retention/evidence/pack/signature";
import { verifyPack } from "../server/retention/evidence/pack/verify";
import { runCli } from "./cli";

const USAGE =
  "Usage: npm run evidence:verify -- <pack.zip> [--public-key <pem file>]  |  npm run evidence:public-key";

/** This deployment's key settings, read without the rest of the environment (no database needed). */
function keySettings() {
  const key = process.env.EVIDENCE_SIGNING_KEY || undefined;
  if (key && !isEd25519PrivateKey(key))
    throw new Error("EVIDENCE_SIGNING_KEY must be an Ed25519 private key in PEM.");
  return {
    NODE_ENV: (process.env.NODE_ENV ?? "development") as "development" | "test" | "production",
    EVIDENCE_SIGNING_KEY: key,
    EVIDENCE_KEY_FILE: process.env.EVIDENCE_KEY_FILE || DEFAULT_EVIDENCE_KEY_FILE,
  };
}

/**
 * Says on stderr that the development key file stands in for
 * EVIDENCE_SIGNING_KEY: a public key printed from it is not the one a
 * production deployment signs with.
 */
function noteDevelopmentKey(settings: ReturnType<typeof keySettings>) {
  if (settings.EVIDENCE_SIGNING_KEY) return;
  process.stderr.write(
    `EVIDENCE_SIGNING_KEY is not set: this is the development key of ${path.resolve(settings.EVIDENCE_KEY_FILE)}, ` +
      "not the one production signs with: run this with EVIDENCE_SIGNING_KEY set as in production, or verify with --public-key.\n",
  );
}

/** The key to check with: the file given, else this deployment's own (never one the pack carries). */
function publicKeyFor(file: string | undefined) {
  if (file) return createPublicKey(readFileSync(file, "utf8"));
  const settings = keySettings();
  if (!settings.EVIDENCE_SIGNING_KEY && !existsSync(path.resolve(settings.EVIDENCE_KEY_FILE)))
    throw new Error(
      `No public key: pass --public-key <pem file> (from the console's Evidence page). ${USAGE}`,
    );
  noteDevelopmentKey(settings);
  return createPublicKey(evidenceSigningKey(settings));
}

async function verify(args: string[]) {
  const file = args[0];
  const at = args.indexOf("--public-key");
  if (!file || file.startsWith("--") || (at >= 0 && !args[at + 1])) throw new Error(USAGE);
  const key = publicKeyFor(at >= 0 ? args[at + 1] : undefined);
  const verdict = await verifyPack(file, key);
  if (verdict.ok) {
    console.log(
      `Verified: ${file}, ${verdict.files.length} files, each SHA-256 as manifest.json lists it, signed by key ${keyFingerprint(key)}.`,
    );
    return;
  }
  console.log(`FAILED: ${file}`);
  for (const problem of verdict.problems) console.log(`  - ${problem}`);
  process.exitCode = 1;
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) return console.log(USAGE);
  if (command === "verify") return verify(args);
  if (command === "public-key") {
    const settings = keySettings();
    noteDevelopmentKey(settings);
    process.stdout.write(publicKeyPem(evidenceSigningKey(settings)));
    return;
  }
  throw new Error(USAGE);
}

runCli(main);
