import { createPrivateKey, type KeyObject } from "node:crypto";

/** A PEM from an environment variable: a one-line value may carry its newlines as "\n". */
export const privateKeyFromPem = (pem: string): KeyObject =>
  createPrivateKey(pem.includes("\n") ? pem : pem.replace(/\\n/g, "\n"));

export function isEd25519PrivateKey(pem: string) {
  try {
    return privateKeyFromPem(pem).asymmetricKeyType === "ed25519";
  } catch {
    return false;
  }
}

/** Where a deployment without EVIDENCE_SIGNING_KEY keeps the key it made (outside production). */
export const DEFAULT_EVIDENCE_KEY_FILE = ".lethe/evidence-signing-key.pem";
