import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "./env";
import { AppError } from "./errors";
import { privateKeyFromPem } from "./evidence-key-pem";

/**
 * The key evidence packs are signed with. Production takes it from
 * EVIDENCE_SIGNING_KEY and builds no pack without it: a key made up on one
 * server would sign packs no other server, nor the auditor's copy of the
 * public key, could check. Elsewhere it is made on first use in
 * EVIDENCE_KEY_FILE (.lethe/ by default), readable by its owner only.
 */
export function evidenceSigningKey(
  e: Pick<Env, "NODE_ENV" | "EVIDENCE_SIGNING_KEY" | "EVIDENCE_KEY_FILE">,
): KeyObject {
  if (e.EVIDENCE_SIGNING_KEY) return privateKeyFromPem(e.EVIDENCE_SIGNING_KEY);
  if (e.NODE_ENV === "production")
    throw new AppError(
      "PRECONDITION",
      "Evidence packs cannot be built: EVIDENCE_SIGNING_KEY is not set. Set it to an Ed25519 private key in PEM " +
        "(openssl genpkey -algorithm ed25519) and restart; then give auditors the public key (npm run evidence:public-key).",
    );
  const file = path.resolve(e.EVIDENCE_KEY_FILE);
  try {
    return privateKeyFromPem(readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const { privateKey } = generateKeyPairSync("ed25519");
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": of two processes making it at once, the second reads the first's.
    writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), {
      mode: 0o600,
      flag: "wx",
    });
    return privateKey;
  } catch {
    return privateKeyFromPem(readFileSync(file, "utf8"));
  }
}
