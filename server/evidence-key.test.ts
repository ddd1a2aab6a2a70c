import { createPublicKey } from "node:crypto";
import { mkdtemp, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";
import { evidenceSigningKey } from "./evidence-key";
import { publicKeyPem } from "./retention/evidence/pack/signature";

const folder = () => mkdtemp(path.join(os.tmpdir(), "lethe-key-"));

describe("the evidence signing key", () => {
  it("is refused in production when EVIDENCE_SIGNING_KEY is unset, saying what to set", async () => {
    const file = path.join(await folder(), "key.pem");
    expect(() =>
      evidenceSigningKey({
        NODE_ENV: "production",
        EVIDENCE_SIGNING_KEY: undefined,
        EVIDENCE_KEY_FILE: file,
      }),
    ).toThrow(/EVIDENCE_SIGNING_KEY is not set.*Ed25519 private key in PEM/);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it("is made once outside production, in a file only its owner reads, and the same key after", async () => {
    const file = path.join(await folder(), "nested", "key.pem");
    const settings = {
      NODE_ENV: "development" as const,
      EVIDENCE_SIGNING_KEY: undefined,
      EVIDENCE_KEY_FILE: file,
    };
    const first = evidenceSigningKey(settings);
    expect(first.asymmetricKeyType).toBe("ed25519");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(publicKeyPem(evidenceSigningKey(settings))).toBe(publicKeyPem(first));
  });

  it("comes from EVIDENCE_SIGNING_KEY when set, one line with \\n accepted; anything else is refused at startup", () => {
    const pem = evidenceSigningKey({
      NODE_ENV: "development",
      EVIDENCE_SIGNING_KEY: undefined,
      EVIDENCE_KEY_FILE: path.join(os.tmpdir(), `lethe-key-${process.pid}.pem`),
    })
      .export({ type: "pkcs8", format: "pem" })
      .toString();
    const oneLine = pem.replace(/\n/g, "\\n");
    const key = evidenceSigningKey({
      NODE_ENV: "production",
      EVIDENCE_SIGNING_KEY: oneLine,
      EVIDENCE_KEY_FILE: "",
    });
    expect(createPublicKey(key).export({ type: "spki", format: "pem" })).toBe(publicKeyPem(key));
    const base = { DATABASE_URL: "postgres://u:p@localhost/db" };
    expect(() => parseEnv({ ...base, EVIDENCE_SIGNING_KEY: "not a key" })).toThrow(
      /EVIDENCE_SIGNING_KEY must be an Ed25519 private key in PEM/,
    );
    expect(parseEnv({ ...base, EVIDENCE_SIGNING_KEY: oneLine }).EVIDENCE_SIGNING_KEY).toBe(oneLine);
  });
});
