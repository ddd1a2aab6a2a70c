import { spawnSync } from "node:child_process";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

/** `npm run evidence:*` as an operator runs it, with only `env` set. */
function evidence(args: string[], env: Record<string, string>) {
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/evidence.ts", ...args],
    { cwd: ROOT, env: { PATH: process.env.PATH, NODE_ENV: "test", ...env }, encoding: "utf8" },
  );
  return { code: run.status, out: run.stdout, err: run.stderr };
}

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
