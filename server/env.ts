import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";
import { RESTORE_DEFAULT_DAYS } from "./retention/policy/defaults";
import { retentionVariables } from "./env-retention";
import { LOG_FORMATS, LOG_LEVELS } from "./log";
import { DEFAULT_SETTINGS } from "./retention/deps";
import { DEFAULT_EVIDENCE_KEY_FILE, isEd25519PrivateKey } from "./evidence-key-pem";

const flag = z
  .enum(["true", "false", "1", "0"], { error: "must be true or false" })
  .transform((v) => v === "true" || v === "1");

const server = {
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z
    .string({
      error: "is required: a postgres:// URL (npm run dev sets it for the embedded database)",
    })
    .url("must be a postgres:// URL")
    .refine((url) => /^postgres(ql)?:\/\//.test(url), "must be a postgres:// URL"),
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  NEXTAUTH_URL: z.string().url("must be the console's public URL").optional(),
  CRON_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  TRUSTED_PROXY_HOPS: z.coerce
    .number({ error: "must be a whole number of proxies" })
    .int("must be a whole number of proxies")
    .min(0)
    .max(10, "must be at most 10")
    .optional(),
  // Set by Vercel on its deployments ("1"): its edge overwrites X-Forwarded-For.
  VERCEL: z.string().optional(),
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  OIDC_ISSUER: z.string().url("must be the issuer URL").optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  STORAGE: z.enum(["local", "s3"], { error: "must be local or s3" }).optional(),
  STORAGE_DIR: z.string().default(".lethe/storage"),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_ENDPOINT: z.string().url("must be the S3 endpoint URL").optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: flag.default(false),
  PURGE_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000, "must be at most 1000 (S3 DeleteObjects limit)")
    .default(1000),
  PURGE_BATCH_TARGET_MS: z.coerce.number().int().min(10).max(10_000).default(150),
  PURGE_GUARDRAIL_SHARE: z.coerce
    .number()
    .gt(0)
    .max(1, "must be a share between 0 and 1")
    .default(0.5),
  GUARD_FACTOR: z.coerce
    .number({ error: "must be a number: how many times its baseline a daily task may take" })
    .gt(1, "must be above 1: a daily task at its usual count must not wait for review")
    .max(1000, "must be at most 1000")
    .default(DEFAULT_SETTINGS.guardFactor),
  GUARD_FLOOR: z.coerce
    .number({ error: "must be a whole number of items" })
    .int("must be a whole number of items")
    .min(0, "must be 0 or more items")
    .default(DEFAULT_SETTINGS.guardFloor),
  PLAN_TTL_MINUTES: z.coerce.number().int().min(1).max(120).default(15),
  PLAN_MAX_OPEN_PER_USER: z.coerce
    .number({ error: "must be a whole number of previews" })
    .int("must be a whole number of previews")
    .min(1, "must allow at least 1 open preview")
    .max(100, "must be at most 100")
    .default(DEFAULT_SETTINGS.maxOpenPreviewsPerUser),
  PLAN_MAX_OPEN: z.coerce
    .number({ error: "must be a whole number of previews" })
    .int("must be a whole number of previews")
    .min(1, "must allow at least 1 open preview")
    .max(10_000, "must be at most 10000")
    .default(DEFAULT_SETTINGS.maxOpenPreviews),
  PURGE_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(300),
  PURGE_MAX_TASK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  CRON_MAX_DURATION_SECONDS: z.coerce.number().int().min(5).max(900).default(300),
  EVIDENCE_SIGNING_KEY: z
    .string()
    .refine(
      isEd25519PrivateKey,
      "must be an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)",
    )
    .optional(),
  EVIDENCE_KEY_FILE: z.string().default(DEFAULT_EVIDENCE_KEY_FILE),
  NOTICE_SECRET_KEY: z
    .string()
    .min(32, "must be at least 32 characters: it seals the webhooks' signing secrets")
    .optional(),
  SMTP_URL: z
    .string()
    .url("must be an SMTP URL such as smtps://user:pass@smtp.example.com")
    .refine((url) => /^smtps?:\/\//.test(url), "must start with smtp:// or smtps://")
    .optional(),
  NOTICE_FROM: z
    .email({ error: "must be the email address notices are sent from" })
    .default("lethe@localhost"),
  // Accepts plain-http webhook endpoints: for a receiver on this machine (the browser tests), never for tenants.
  NOTICE_ALLOW_HTTP: flag.default(false),
  // Accepts webhook endpoints at localhost and private addresses: the same receiver on this machine, never for tenants.
  NOTICE_ALLOW_PRIVATE_ADDRESSES: flag.default(false),
  NOTICE_KEY_FILE: z.string().default(".lethe/notice-secret-key"),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).optional(),
  LOG_FORMAT: z.enum(LOG_FORMATS, { error: "must be json or pretty" }).optional(),
  ...retentionVariables(),
};

export type Env = ReturnType<typeof parseEnv>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Validates `source` (process.env by default); throws EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env) {
  const parsed = createEnv({
    server,
    client: {},
    runtimeEnv: source as Record<string, string | undefined>,
    emptyStringAsUndefined: true,
    isServer: true,
    onValidationError: (issues) => {
      throw new EnvError(issues.map((i) => `${i.path?.map(String).join(".") ?? "?"} ${i.message}`));
    },
  });
  const problems = crossFieldProblems(parsed, source);
  if (problems.length) throw new EnvError(problems);
  return parsed;
}

function crossFieldProblems(
  env: Record<string, unknown>,
  source: Record<string, string | undefined>,
): string[] {
  const problems: string[] = [];
  problems.push(...storageProblems(env, source));
  if (env.S3_BUCKET && !env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
    problems.push("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together");
  }
  if ((env.PLAN_MAX_OPEN_PER_USER as number) > (env.PLAN_MAX_OPEN as number))
    problems.push("PLAN_MAX_OPEN_PER_USER must not be above PLAN_MAX_OPEN");
  if (!env.GITHUB_ID !== !env.GITHUB_SECRET)
    problems.push("GITHUB_ID and GITHUB_SECRET must be set together");
  const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3) {
    problems.push("OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together");
  }
  for (const key of Object.keys(source)) {
    if (/^RETENTION_DAYS_/.test(key) && !(key in server)) {
      problems.push(
        `${key} is not a known variable: use RETENTION_DAYS_<PLAN> or RETENTION_DAYS_<CATEGORY>_<PLAN>`,
      );
    }
    if (/^RESTORE_DAYS_/.test(key) && !(key in server)) {
      problems.push(
        `${key} is not a known variable: use RESTORE_DAYS_<CATEGORY>_<PLAN> with one of ${Object.keys(RESTORE_DEFAULT_DAYS).join(", ")} (the others have no restore window)`,
      );
    }
  }
  return problems;
}

/**
 * Where objects live must be said out loud in production: with the local
 * folder as a silent fallback, a deployment that forgot S3_BUCKET purges
 * rows, finds no files in an empty folder, counts them deleted and reports
 * success while every object stays in the real bucket.
 */
function storageProblems(
  env: Record<string, unknown>,
  source: Record<string, string | undefined>,
): string[] {
  if (env.STORAGE === "s3" && !env.S3_BUCKET)
    return ["STORAGE=s3 needs S3_BUCKET: the bucket that holds the objects"];
  if (env.STORAGE === "local" && env.S3_BUCKET)
    return [
      "STORAGE=local and S3_BUCKET contradict each other: unset S3_BUCKET to keep objects in STORAGE_DIR, or set STORAGE=s3",
    ];
  if (env.NODE_ENV !== "production") return [];
  if (!env.STORAGE && !env.S3_BUCKET)
    return [
      "Storage is not configured: set S3_BUCKET (objects in S3), or STORAGE=local and STORAGE_DIR (objects in a local folder)",
    ];
  if (env.STORAGE === "local" && !source.STORAGE_DIR?.trim())
    return ["STORAGE=local needs STORAGE_DIR in production: the folder that holds the objects"];
  return [];
}

let cached: Env | undefined;

/** The validated environment of this process, parsed once on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
