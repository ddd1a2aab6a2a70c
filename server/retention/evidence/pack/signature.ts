import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

/**
 * How a pack is signed, in two layers, both Ed25519:
 *
 * - `manifest.json` lists every other file with its SHA-256, and
 *   `manifest.sig` is the signature of its exact bytes (base64): what an
 *   auditor checks with `unzip` and `openssl` alone.
 * - The zip's comment, the file's very last bytes, is the signature of the
 *   SHA-256 of every byte before it: headers, timestamps and the central
 *   directory are covered too, so no byte of the file can change unnoticed.
 */
export const ARCHIVE_SIGNATURE_PREFIX = "lethe-evidence-signature:";
/** An Ed25519 signature is 64 bytes: 88 characters of base64. */
export const ARCHIVE_SIGNATURE_LENGTH = ARCHIVE_SIGNATURE_PREFIX.length + 88;
/** What the zip comment holds until the archive is signed, of the same length. */
export const ARCHIVE_SIGNATURE_PLACEHOLDER = ARCHIVE_SIGNATURE_PREFIX + "=".repeat(88);

const archiveMessage = (sha256: string) => Buffer.from(`lethe-evidence-pack:${sha256}`);

export const signBytes = (key: KeyObject, bytes: Buffer) =>
  sign(null, bytes, key).toString("base64");

export const verifyBytes = (key: KeyObject, bytes: Buffer, signature: string) => {
  const raw = Buffer.from(signature.trim(), "base64");
  return raw.length === 64 && verify(null, bytes, key, raw);
};

export const signArchive = (key: KeyObject, sha256: string) =>
  ARCHIVE_SIGNATURE_PREFIX + signBytes(key, archiveMessage(sha256));

export const verifyArchive = (key: KeyObject, sha256: string, comment: string) =>
  comment.startsWith(ARCHIVE_SIGNATURE_PREFIX) &&
  verifyBytes(key, archiveMessage(sha256), comment.slice(ARCHIVE_SIGNATURE_PREFIX.length));

const publicHalf = (key: KeyObject) => (key.type === "public" ? key : createPublicKey(key));

/** The public half of a key (private or public), as PEM. */
export const publicKeyPem = (key: KeyObject) =>
  publicHalf(key).export({ type: "spki", format: "pem" }).toString();

/** A short name of a public key: the SHA-256 of its SPKI bytes, first 16 hex digits. */
export const keyFingerprint = (key: KeyObject) =>
  createHash("sha256")
    .update(publicHalf(key).export({ type: "spki", format: "der" }))
    .digest("hex")
    .slice(0, 16);
