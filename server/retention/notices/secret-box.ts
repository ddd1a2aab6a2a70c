import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * A webhook's signing secret in the Standard Webhooks form: `whsec_` and
 * the base64 of 24 random bytes.
 */
export const newSigningSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

/** The 32-byte key secrets are sealed with, from NOTICE_SECRET_KEY (any text of 32+ characters). */
export const sealingKey = (text: string) => createHash("sha256").update(text, "utf8").digest();

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals `secret` with AES-256-GCM: iv, tag and ciphertext in one buffer.
 * The org id is its associated data, so a sealed secret copied onto another
 * org's row does not open.
 */
export function seal(key: Buffer, orgId: number, secret: string): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(`org:${orgId}`));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]));
}

/** Opens what `seal` sealed; throws when the key, the org or the bytes differ. */
export function open(key: Buffer, orgId: number, sealed: Uint8Array): string {
  const bytes = Buffer.from(sealed);
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(`org:${orgId}`));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([
    decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
    decipher.final(),
  ]).toString("utf8");
}
