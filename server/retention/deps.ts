import type { KeyObject } from "node:crypto";
import type { Db } from "../db";
import type { Log } from "../log";
import type { ObjectStore } from "../storage";
import type { PolicyEnv } from "./policy/effective-window";
import type { PurgeQueue } from "./run/queue";
import type { NoticeChannels } from "./notices/channels";
import type { ExportLinks } from "./exports/link";

/** The knobs of the engine, read from the environment by the app and set directly by tests. */
export type EngineSettings = {
  /** RETENTION_DAYS_* and BACKUPS_KEEP_* (see policy/effective-window.ts). */
  policy: PolicyEnv;
  /** Most items per batch: one transaction, at most one DeleteObjects. */
  batchSize: number;
  /**
   * How long a batch's database work (its locks held, S3 calls apart) should
   * take: a runner sizes its next batch from the last one's rate to fit it.
   * Each batch also pays about 10 ms outside its statements (its round
   * trips, its commit): 150 ms keeps that near 6 % of a sweep's time, and a
   * hold being placed waits for one batch at most.
   */
  batchTargetMs: number;
  /**
   * Plan items per sweep (a stretch of a swept category's manifest that one
   * worker works at a time): enough that its end, which writes a manifest
   * batch per org, is rare; few enough that workers share a run evenly.
   */
  sweepItems: number;
  /**
   * A planning step's size: orgs per step of a per-org category (and of the
   * storage snapshot), and item ids per step of a swept category. Each step
   * is one transaction, sized to take a few seconds at 10,000 orgs so that a
   * cron delivery with a short budget fits several.
   */
  planStepOrgs: number;
  planStepItems: number;
  /** A preview above this share of an org's items in a category needs a second confirmation. */
  guardrailShare: number;
  /**
   * The guard: a daily task pauses for review when its count is above both
   * this many times its baseline and `guardFloor` items (so small counts
   * never trip it).
   */
  guardFactor: number;
  guardFloor: number;
  planTtlMinutes: number;
  /**
   * Open previews (PREVIEWED, not expired) one person may keep, and all
   * people together: each holds its whole manifest until it expires. The
   * daily schedule's own plan is never refused.
   */
  maxOpenPreviewsPerUser: number;
  maxOpenPreviews: number;
  /** How long a worker holds a task or sweep (its lease) before another may take it over. */
  leaseSeconds: number;
  /** Failed attempts after which a task or sweep is given up (the give-up rule). */
  maxTaskAttempts: number;
  /**
   * Longest a statement of a purge batch may run before Postgres cancels it
   * and the batch rolls back to be retried (default 60 s). The fault suite
   * shortens it to provoke that rollback.
   */
  batchStatementTimeoutMs?: number;
};

/**
 * Everything the retention core needs, passed in: it never reaches for a
 * global, so a test, a script, the cron route and a worker drive it alike.
 */
export type Engine = {
  db: Db;
  /** For the few session-level locks that must not hold a pooled connection while they wait. */
  databaseUrl: string;
  store: ObjectStore;
  queue: PurgeQueue;
  settings: EngineSettings;
  /** Identifies this process in leases. */
  workerId: string;
  now: () => Date;
  /**
   * Where the core writes what it does: each task, sweep and run logs through a
   * child carrying its ids (runId, planId, taskId or sweepId, orgId,
   * category), so a run's lines can be picked out by its id.
   */
  log: Log;
  /**
   * The Ed25519 private key evidence packs are signed with (server/evidence-key.ts);
   * it throws why when this deployment has none. Absent: this process builds no packs.
   */
  evidenceKey?: () => KeyObject;
  /** How tenants are told before their items fall due. Absent: this process sends no notices. */
  notices?: NoticeChannels;
  /** What signs export download links; absent where the console's secret and URL are not set. */
  exportLinks?: ExportLinks;
};

export const DEFAULT_SETTINGS: Omit<EngineSettings, "policy"> = {
  batchSize: 1000,
  batchTargetMs: 150,
  sweepItems: 500_000,
  planStepOrgs: 500,
  planStepItems: 250_000,
  guardrailShare: 0.5,
  guardFactor: 3,
  guardFloor: 1000,
  planTtlMinutes: 15,
  maxOpenPreviewsPerUser: 5,
  maxOpenPreviews: 25,
  leaseSeconds: 300,
  maxTaskAttempts: 5,
};
