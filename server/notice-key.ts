import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "./env";
import { AppError } from "./errors";
import { sealingKey } from "./retention/notices/secret-box";

/**
 * The key webhook signing secrets are sealed with. Production takes it from
 * NOTICE_SECRET_KEY and stores no secret without it: a key made up on one
 * server would leave the secrets it sealed unreadable on the others.
 * Elsewhere it is made on first use in NOTICE_KEY_FILE (.lethe/ by
 * default), readable by its owner only, as the evidence key is.
 */
export function noticeSecretKey(
  e: Pick<Env, "NODE_ENV" | "NOTICE_SECRET_KEY" | "NOTICE_KEY_FILE">,
): Buffer {
  if (e.NOTICE_SECRET_KEY) return sealingKey(e.NOTICE_SECRET_KEY);
  if (e.NODE_ENV === "production")
    throw new AppError(
      "PRECONDITION",
      "Webhook secrets cannot be stored: NOTICE_SECRET_KEY is not set. Set it to a random string of 32+ characters (openssl rand -base64 32) and restart.",
    );
  const file = path.resolve(e.NOTICE_KEY_FILE);
  try {
    return sealingKey(readFileSync(file, "utf8").trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": of two processes making it at once, the second reads the first's.
    const text = randomBytes(32).toString("base64url");
    writeFileSync(file, `${text}\n`, { mode: 0o600, flag: "wx" });
    return sealingKey(text);
  } catch {
    return sealingKey(readFileSync(file, "utf8").trim());
  }
}
