import { counted, type Details } from "./sentence-words";

const by = (d: Details) => (d.via === "cli" ? " (from the command line)" : "");

/** "an ADMIN", "an OPERATOR", "a VIEWER". */
const withArticle = (word: string) => `${/^[AEIOU]/i.test(word) ? "an" : "a"} ${word}`;

/** Sentences of people's accounts, their API tokens and sign-in: the target names the account. */
export const ACCOUNT_SENTENCES: Record<string, (d: Details) => string> = {
  "user.created": (d) =>
    `created ${withArticle(String(d.role))} account${d.oneTimePassword ? " with a one-time password" : ""}${by(d)}`,
  "user.role_changed": (d) => `changed the role from ${String(d.from)} to ${String(d.to)}${by(d)}`,
  "user.disabled": (d) => `disabled the account: it lost access, its API tokens too${by(d)}`,
  "user.enabled": (d) => `enabled the account again${by(d)}`,
  "user.password_reset": (d) => `reset the password and issued a one-time password${by(d)}`,
  "user.password_changed": (d) =>
    d.wasOneTime ? "replaced the one-time password with their own" : "changed their password",
  "token.created": (d) =>
    `created a ${String(d.scope)} API token for user #${String(d.userId)}, valid ${counted(Number(d.expiresInDays), "day", "days")}${by(d)}`,
  "token.revoked": (d) =>
    `revoked a ${String(d.scope)} API token of user #${String(d.userId)}${by(d)}`,
  "auth.identity_bound": (d) =>
    `signed in with ${String(d.provider)} for the first time: that identity is now this account's`,
  "auth.sign_in_locked": (d) =>
    `locked sign-in ${d.scope === "account" ? "to this account" : "from one address"} for ${counted(Number(d.seconds), "second", "seconds")} after repeated wrong passwords (lockout #${String(d.lockout)})`,
};
