import type { Engine } from "../../deps";
import { CATEGORY_KEYS } from "../../categories/labels";
import { backupKeep, planWindow } from "../../policy/effective-window";
import { PLANS } from "../../policy/defaults";
import { AUDIT_HASH_FORMULA } from "../audit-chain";
import { MANIFEST_DIGEST_FORMULA } from "../manifest";

/** The windows this deployment is configured with now (plan defaults ← RETENTION_DAYS_*), per plan × category. */
export function configuredWindows(engine: Engine) {
  const windows = PLANS.flatMap((plan) =>
    CATEGORY_KEYS.flatMap((category) => {
      const w = planWindow(plan, category, engine.settings.policy);
      return w ? [{ plan, category, days: w.days ?? "unlimited", source: w.source }] : [];
    }),
  );
  return { windows, backupsKept: backupKeep(engine.settings.policy) };
}

/** README.txt: what each file is and how to check the pack by hand. */
export function packReadme(summary: {
  period: { from: string; to: string; orgId: number | null };
  builtAt: string;
}) {
  const { from, to, orgId } = summary.period;
  return `Lethe evidence pack: ${from} to ${to} (UTC days, both included)${orgId === null ? ", every org" : `, org ${orgId}`}.
Built ${summary.builtAt}.

population.csv         Every item a purge took in the period: deleted at once, archived (a PROMPTS
                       item), or moved into its restore window (its row kept, its object untouched:
                       window.csv says when it was finally deleted or restored). deleted_at is when
                       the purge took it. One line per item of each manifest batch written in the
                       period, with the batch's SHA-256 (how it is computed: below); an item restored
                       and purged again is on a line for each purge.
                       Its last line is "# end rows=N sha256=HEX": the SHA-256 of every byte before it.
window.csv             What happened in the period to items a purge kept in their restore window
                       (population.csv lists them when they were purged): one line per item of each
                       window batch written in the period, "FINALLY_DELETED" (its object and kept row
                       deleted by the daily run run_id) or "RESTORED" (put back by restore_id, of the
                       purge run run_id), with the batch's SHA-256, computed as population.csv's.
                       Its last line is "# end rows=N sha256=HEX", as population.csv's.
reconciliation.ndjson  Each run of the period: its record (purge_runs, purge_tasks) against the
                       manifest it wrote; each final deletion (kind "final-deletion"): the bytes its
                       run counts finally freed against its window batches; each restore (kind
                       "restore"): its items and bytes against its window batches; then /api/metrics'
                       counters (purge_totals) against the ended tasks and final deletions. Every
                       disagreement is listed in "mismatches".${
                         orgId === null
                           ? ""
                           : `
                       A run's line gives org ${orgId}'s part of it too, in "org".`
                       }
audit-chain.json       The audit chain verified when the pack was built, and the anchors of the period.
audit-log.ndjson       The audit entries of the period, with prevHash and hash${
    orgId === null
      ? ""
      : `: those naming org ${orgId},
                       and those of the runs that worked it and their previews, as the console's log filters them`
  }.
actors.csv             Who each actor key is: every "user:N", "token:N" and "system" that
                       audit-log.ndjson names (as an entry's actor or its target) and pack.json's
                       builtBy, labelled as the console labels them. A person's id, name, email,
                       role, when disabled (empty: not disabled) and when added; a token's line
                       gives its owner in those columns, and the token's name, scope, creation,
                       expiry and revocation. Roles and the rest are as of the pack's build
                       (${summary.builtAt}), not as of each entry: a role changed meanwhile is in the
                       audit log ("user.role_changed", in a pack of every org). A person or token
                       since removed says so in its label.
                       Its last line is "# end rows=N sha256=HEX", as population.csv's.
policy-days.ndjson     The policy in force on each day, and what each part is derived from
                       (also in pack.json); what is not recorded for past days says so. Backups are
                       kept by count, not days: their line gives the newest N kept per environment
                       as the day's daily run kept them, which pack.json's backupsKept (those
                       configured when the pack was built) need not match.
pack.json              The period, who built the pack (builtBy, in actors.csv), totals (the
                       population's; the window's items finally deleted and restored) and where the
                       policy comes from.
manifest.json          Every file above with its SHA-256 and size, and the signing key's fingerprint.
manifest.sig           Ed25519 signature (base64) of manifest.json's exact bytes.

A batch's SHA-256, in population.csv and window.csv: ${MANIFEST_DIGEST_FORMULA}.
An audit entry's hash, in audit-log.ndjson: ${AUDIT_HASH_FORMULA}.

The zip's comment (its last bytes) signs the SHA-256 of every byte before it, so a byte changed
anywhere in the file fails. Check it all with:
  npm run evidence:verify -- <this file> --public-key <lethe-evidence-public-key.pem>
By hand, with the public key from the console (Evidence page) or npm run evidence:public-key:
  unzip pack.zip && sha256sum <each file>   (compare with manifest.json)
  base64 -d manifest.sig > sig.bin && openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in manifest.json -sigfile sig.bin
`;
}
