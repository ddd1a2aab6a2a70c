import { createHash, type KeyObject } from "node:crypto";
import { createReadStream } from "node:fs";
import { open as openFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { CsvTrailerCheck } from "./csv-trailer";
import {
  ARCHIVE_SIGNATURE_LENGTH,
  ARCHIVE_SIGNATURE_PREFIX,
  keyFingerprint,
  verifyArchive,
  verifyBytes,
} from "./signature";
import type { PackFile } from "./writer";

export type PackVerdict = { ok: true; files: PackFile[] } | { ok: false; problems: string[] };

const SIGNED = new Set(["manifest.json", "manifest.sig"]);

/**
 * What the zip holds, each entry hashed as it streams; the two signature
 * files kept whole; each CSV file's last line checked against its bytes.
 */
async function readEntries(file: string) {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (error, z) =>
      error ? reject(error) : resolve(z),
    ),
  );
  const found = new Map<string, { sha256: string; bytes: number; text?: Buffer }>();
  const problems: string[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", resolve);
    zip.on("entry", (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream?: Readable) => {
        if (error || !stream) {
          problems.push(`${entry.fileName}: cannot be read (${error?.message ?? "no data"})`);
          zip.readEntry();
          return;
        }
        const digest = createHash("sha256");
        const kept: Buffer[] = [];
        const csv = entry.fileName.endsWith(".csv") ? new CsvTrailerCheck(entry.fileName) : null;
        let bytes = 0;
        stream.on("data", (chunk: Buffer) => {
          digest.update(chunk);
          csv?.update(chunk);
          bytes += chunk.length;
          if (SIGNED.has(entry.fileName)) kept.push(chunk);
        });
        stream.on("error", (e) => {
          problems.push(`${entry.fileName}: cannot be read (${e.message})`);
          zip.readEntry();
        });
        stream.on("end", () => {
          if (csv) problems.push(...csv.problems());
          const text = SIGNED.has(entry.fileName) ? Buffer.concat(kept) : undefined;
          found.set(entry.fileName, { sha256: digest.digest("hex"), bytes, text });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  zip.close();
  return { found, problems };
}

/**
 * Whether the file's last bytes sign every byte before them: "unsigned" when
 * they are no signature at all (a pack zipped again, or cut short).
 */
async function archiveSigned(file: string, key: KeyObject) {
  const handle = await openFile(file, "r");
  try {
    const { size } = await handle.stat();
    if (size < ARCHIVE_SIGNATURE_LENGTH) return "unsigned";
    const comment = Buffer.alloc(ARCHIVE_SIGNATURE_LENGTH);
    await handle.read(comment, 0, ARCHIVE_SIGNATURE_LENGTH, size - ARCHIVE_SIGNATURE_LENGTH);
    if (!comment.toString("latin1").startsWith(ARCHIVE_SIGNATURE_PREFIX)) return "unsigned";
    const digest = createHash("sha256");
    if (size > ARCHIVE_SIGNATURE_LENGTH)
      for await (const chunk of createReadStream(file, {
        end: size - ARCHIVE_SIGNATURE_LENGTH - 1,
      }))
        digest.update(chunk as Buffer);
    return verifyArchive(key, digest.digest("hex"), comment.toString("latin1"))
      ? "verified"
      : "mismatch";
  } finally {
    await handle.close();
  }
}

/** Why the archive's own signature failed: none there, another key's, or a byte changed. */
function archiveProblem(
  signed: "unsigned" | "mismatch",
  fingerprint: string,
  signedBy: string | undefined,
) {
  if (signed === "unsigned")
    return `the archive's signature is missing: its last ${ARCHIVE_SIGNATURE_LENGTH} bytes are not one (the pack was zipped again, or its end cut off)`;
  const why =
    signedBy && signedBy !== fingerprint
      ? `manifest.json names key ${signedBy} as the signer`
      : "a byte of the file was changed";
  return `the archive's signature (its last ${ARCHIVE_SIGNATURE_LENGTH} bytes) does not verify with key ${fingerprint}: ${why}`;
}

/**
 * Checks a pack offline against `key`: every file's SHA-256 and size
 * against manifest.json, each CSV file's last line against its bytes, no file missing or added, manifest.sig over
 * manifest.json, and the archive's own signature over every byte. Each
 * problem names what failed.
 */
export async function verifyPack(file: string, key: KeyObject): Promise<PackVerdict> {
  let read;
  try {
    read = await readEntries(file);
  } catch (error) {
    return {
      ok: false,
      problems: [
        `${file} is not a readable zip (${error instanceof Error ? error.message : String(error)})`,
      ],
    };
  }
  const { found, problems } = read;
  const manifestBytes = found.get("manifest.json")?.text;
  let manifest: { signingKey?: string; files?: PackFile[] } = {};
  try {
    manifest = manifestBytes ? JSON.parse(manifestBytes.toString("utf8")) : {};
  } catch {
    problems.push("manifest.json: is not JSON");
  }
  if (!manifestBytes) problems.push("manifest.json: missing");
  const listed = manifest.files ?? [];
  for (const f of listed) {
    const got = found.get(f.name);
    if (!got) problems.push(`${f.name}: listed in manifest.json, missing from the pack`);
    else if (got.sha256 !== f.sha256 || got.bytes !== f.bytes)
      problems.push(
        `${f.name}: its SHA-256 is ${got.sha256} (${got.bytes} bytes), manifest.json says ${f.sha256} (${f.bytes} bytes)`,
      );
  }
  const names = new Set(listed.map((f) => f.name));
  for (const name of found.keys())
    if (!names.has(name) && !SIGNED.has(name))
      problems.push(`${name}: not listed in manifest.json`);
  const fingerprint = keyFingerprint(key);
  if (manifest.signingKey && manifest.signingKey !== fingerprint)
    problems.push(
      `manifest.json: signed by key ${manifest.signingKey}, but the public key given is ${fingerprint}`,
    );
  const signature = found.get("manifest.sig")?.text?.toString("utf8");
  if (!signature) problems.push("manifest.sig: missing");
  else if (!manifestBytes || !verifyBytes(key, manifestBytes, signature))
    problems.push(
      `manifest.sig: the signature of manifest.json does not verify with key ${fingerprint}`,
    );
  const signed = await archiveSigned(file, key);
  if (signed !== "verified")
    problems.push(archiveProblem(signed, fingerprint, manifest.signingKey));
  return problems.length === 0 ? { ok: true, files: listed } : { ok: false, problems };
}
