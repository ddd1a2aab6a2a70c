import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runScript } from "@/test/run-script";

/** `npm run evidence:*` as an operator runs it, with only `env` set. */
const evidence = (args: string[], env: Record<string, string>) =>
  runScript("scripts/evidence.ts", args, { NODE_ENV: "test", ...env });

describe("npm run evidence:public-key", () => {
  it("prints the signing key's public key; without EVIDENCE_SIGNING_KEY it says the key is the development one", () => {
    const keyFile = path.join(mkdtempSync(path.join(os.tmpdir(), "lethe-key-")), "key.pem");
    const development = evidence(["public-key"], { EVIDENCE_KEY_FILE: keyFile });
    expect(development.code).toBe(0);
    expect(development.out).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(development.err).toBe(
      `EVIDENCE_SIGNING_KEY is not set: this is the development key of ${keyFile}, not the one production signs with: run this with EVIDENCE_SIGNING_KEY set as in production, or verify with --public-key.\n`,
    );

    const { privateKey } = generateKeyPairSync("ed25519");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const production = evidence(["public-key"], {
      EVIDENCE_SIGNING_KEY: pem,
      EVIDENCE_KEY_FILE: keyFile,
    });
    expect([production.code, production.err]).toEqual([0, ""]);
    expect(production.out).toBe(
      createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString(),
    );
  });

  it("evidence:verify -- --help prints the usage and succeeds", () => {
    const help = evidence(["verify", "--help"], {});
    expect([help.code, help.err]).toEqual([0, ""]);
    expect(help.out).toMatch(/^Usage: npm run evidence:verify -- <pack\.zip>/);
  });
});
