-- CreateEnum
CREATE TYPE "Plan" AS ENUM ('FREE', 'BASIC', 'PRO', 'AGENCY', 'ENTERPRISE');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('VIEWER', 'OPERATOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "RetentionCategory" AS ENUM ('ARTIFACTS', 'DRIFT_CHECKS', 'INCIDENT_PAYLOADS', 'APPROVALS', 'IMAGE_ANALYSES', 'CONVERSATION_CONTEXT', 'PROJECT_MEMORY', 'SCENE_ITERATIONS', 'BACKUPS', 'TASK_QUEUE', 'ERRORS', 'PROMPTS', 'ORPHAN_OBJECTS');

-- CreateEnum
CREATE TYPE "ArtifactKind" AS ENUM ('BLOG_POST', 'SOCIAL_POST', 'VOICEOVER_AUDIO', 'STORYBOARD_IMAGE', 'VIDEO_CLIP', 'VIDEO_SCRIPT');

-- CreateEnum
CREATE TYPE "DriftStatus" AS ENUM ('IN_SYNC', 'DRIFT', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "WorkflowFlagKind" AS ENUM ('MODIFIED', 'NOT_IN_GIT', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('DETECTED', 'ACKNOWLEDGED', 'STABILIZED', 'RECONCILED', 'CLOSED');

-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "TaskQueueStatus" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'CANCELLED', 'FAILED');

-- CreateEnum
CREATE TYPE "HoldScope" AS ENUM ('ORG', 'INCIDENT', 'ARTIFACT');

-- CreateEnum
CREATE TYPE "ErasureStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'EXECUTED');

-- CreateEnum
CREATE TYPE "PurgeTrigger" AS ENUM ('CRON', 'OPERATOR', 'API', 'ERASURE');

-- CreateEnum
CREATE TYPE "PlanStatus" AS ENUM ('PREVIEWED', 'CONFIRMED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "PlanItemState" AS ENUM ('PENDING', 'DELETED', 'SKIPPED', 'FAILED');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "password_hash" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMP(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "organizations" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "plan" "Plan" NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "members" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "external_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "artifacts" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "member_id" INTEGER,
    "kind" "ArtifactKind" NOT NULL,
    "title" TEXT NOT NULL,
    "object_key" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "environments" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "environments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drift_checks" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "environment_id" INTEGER NOT NULL,
    "status" "DriftStatus" NOT NULL,
    "checked_at" TIMESTAMP(3) NOT NULL,
    "modified_count" INTEGER NOT NULL DEFAULT 0,
    "not_in_git_count" INTEGER NOT NULL DEFAULT 0,
    "unknown_count" INTEGER NOT NULL DEFAULT 0,
    "summary" JSONB NOT NULL,

    CONSTRAINT "drift_checks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workflow_flags" (
    "id" SERIAL NOT NULL,
    "drift_check_id" INTEGER NOT NULL,
    "workflow" TEXT NOT NULL,
    "flag" "WorkflowFlagKind" NOT NULL,

    CONSTRAINT "workflow_flags_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incidents" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "environment_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "status" "IncidentStatus" NOT NULL,
    "detected_at" TIMESTAMP(3) NOT NULL,
    "acknowledged_at" TIMESTAMP(3),
    "stabilized_at" TIMESTAMP(3),
    "reconciled_at" TIMESTAMP(3),
    "closed_at" TIMESTAMP(3),
    "payload_purged_at" TIMESTAMP(3),

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_payloads" (
    "id" SERIAL NOT NULL,
    "incident_id" INTEGER NOT NULL,
    "drift_summary" JSONB NOT NULL,
    "bytes" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_payloads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approvals" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "incident_id" INTEGER NOT NULL,
    "action" "IncidentStatus" NOT NULL,
    "status" "ApprovalStatus" NOT NULL,
    "requested_by" TEXT NOT NULL,
    "decided_by" TEXT,
    "decided_at" TIMESTAMP(3),
    "note" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "image_analyses" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "artifact_id" INTEGER,
    "result" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "image_analyses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memory_items" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memory_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scene_iterations" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "scene_id" TEXT NOT NULL,
    "iteration" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scene_iterations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backups" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "environment_id" INTEGER NOT NULL,
    "object_key" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "backups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_queue_entries" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "status" "TaskQueueStatus" NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "task_queue_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "errors" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMP(3),

    CONSTRAINT "errors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prompts" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_at" TIMESTAMP(3),

    CONSTRAINT "prompts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "retention_overrides" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "days" INTEGER,
    "reason" TEXT NOT NULL,
    "set_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "retention_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "legal_holds" (
    "id" SERIAL NOT NULL,
    "scope" "HoldScope" NOT NULL,
    "org_id" INTEGER NOT NULL,
    "incident_id" INTEGER,
    "artifact_id" INTEGER,
    "reason" TEXT NOT NULL,
    "placed_by_id" INTEGER NOT NULL,
    "placed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_by_id" INTEGER,
    "released_at" TIMESTAMP(3),

    CONSTRAINT "legal_holds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "erasure_requests" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "member_id" INTEGER,
    "reason" TEXT NOT NULL,
    "status" "ErasureStatus" NOT NULL DEFAULT 'PENDING',
    "requested_by_id" INTEGER NOT NULL,
    "requested_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by_id" INTEGER,
    "decided_at" TIMESTAMP(3),
    "run_id" TEXT,

    CONSTRAINT "erasure_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purge_plans" (
    "id" TEXT NOT NULL,
    "trigger" "PurgeTrigger" NOT NULL,
    "status" "PlanStatus" NOT NULL DEFAULT 'PREVIEWED',
    "scope" JSONB NOT NULL,
    "as_of" TIMESTAMP(3) NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "confirmed_by_id" INTEGER,
    "confirmed_at" TIMESTAMP(3),
    "item_count" BIGINT NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "manifest_hash" TEXT NOT NULL,
    "guardrails" JSONB NOT NULL,
    "erasure_id" INTEGER,

    CONSTRAINT "purge_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_entries" (
    "id" SERIAL NOT NULL,
    "plan_id" TEXT NOT NULL,
    "org_id" INTEGER NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "cutoff" TIMESTAMP(3),
    "window_days" INTEGER,
    "keep_newest" INTEGER,
    "item_count" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,
    "total_items" INTEGER NOT NULL,
    "total_bytes" BIGINT NOT NULL,
    "sample" JSONB NOT NULL,

    CONSTRAINT "plan_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_items" (
    "id" BIGSERIAL NOT NULL,
    "plan_id" TEXT NOT NULL,
    "org_id" INTEGER NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "item_id" INTEGER,
    "object_key" TEXT,
    "bytes" BIGINT NOT NULL,
    "eligible_at" TIMESTAMP(3) NOT NULL,
    "state" "PlanItemState" NOT NULL DEFAULT 'PENDING',
    "skip_reason" TEXT,

    CONSTRAINT "plan_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purge_runs" (
    "id" TEXT NOT NULL,
    "run_key" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "trigger" "PurgeTrigger" NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'RUNNING',
    "started_by_id" INTEGER,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "items_total" BIGINT NOT NULL DEFAULT 0,
    "deleted" BIGINT NOT NULL DEFAULT 0,
    "skipped" BIGINT NOT NULL DEFAULT 0,
    "failed" BIGINT NOT NULL DEFAULT 0,
    "bytes_freed" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "purge_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purge_tasks" (
    "id" SERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "org_id" INTEGER NOT NULL,
    "plan" "Plan" NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'PENDING',
    "eligible" INTEGER NOT NULL,
    "deleted" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "bytes_freed" BIGINT NOT NULL DEFAULT 0,
    "batches" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMP(3),
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "purge_tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "manifest_batches" (
    "id" BIGSERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "task_id" INTEGER NOT NULL,
    "batch_no" INTEGER NOT NULL,
    "org_id" INTEGER NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "item_ids" TEXT[],
    "sha256" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "manifest_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" INTEGER,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "org_id" INTEGER,
    "target" TEXT,
    "details" JSONB NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "storage_snapshots" (
    "id" SERIAL NOT NULL,
    "day" DATE NOT NULL,
    "org_id" INTEGER NOT NULL,
    "plan" "Plan" NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "items" BIGINT NOT NULL,
    "bytes" BIGINT NOT NULL,

    CONSTRAINT "storage_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "organizations_slug_key" ON "organizations"("slug");

-- CreateIndex
CREATE INDEX "organizations_plan_idx" ON "organizations"("plan");

-- CreateIndex
CREATE UNIQUE INDEX "members_org_id_external_id_key" ON "members"("org_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "artifacts_object_key_key" ON "artifacts"("object_key");

-- CreateIndex
CREATE INDEX "artifacts_org_id_created_at_id_idx" ON "artifacts"("org_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "artifacts_member_id_idx" ON "artifacts"("member_id");

-- CreateIndex
CREATE UNIQUE INDEX "environments_org_id_name_key" ON "environments"("org_id", "name");

-- CreateIndex
CREATE INDEX "drift_checks_org_id_checked_at_id_idx" ON "drift_checks"("org_id", "checked_at", "id");

-- CreateIndex
CREATE INDEX "drift_checks_environment_id_checked_at_id_idx" ON "drift_checks"("environment_id", "checked_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "workflow_flags_drift_check_id_idx" ON "workflow_flags"("drift_check_id");

-- CreateIndex
CREATE INDEX "incidents_org_id_closed_at_id_idx" ON "incidents"("org_id", "closed_at", "id");

-- CreateIndex
CREATE INDEX "incidents_environment_id_idx" ON "incidents"("environment_id");

-- CreateIndex
CREATE INDEX "incidents_status_idx" ON "incidents"("status");

-- CreateIndex
CREATE UNIQUE INDEX "incident_payloads_incident_id_key" ON "incident_payloads"("incident_id");

-- CreateIndex
CREATE INDEX "approvals_org_id_created_at_id_idx" ON "approvals"("org_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "approvals_incident_id_idx" ON "approvals"("incident_id");

-- CreateIndex
CREATE INDEX "image_analyses_org_id_created_at_id_idx" ON "image_analyses"("org_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "image_analyses_artifact_id_idx" ON "image_analyses"("artifact_id");

-- CreateIndex
CREATE INDEX "memory_items_org_id_created_at_id_idx" ON "memory_items"("org_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "scene_iterations_org_id_created_at_id_idx" ON "scene_iterations"("org_id", "created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "backups_object_key_key" ON "backups"("object_key");

-- CreateIndex
CREATE INDEX "backups_org_id_idx" ON "backups"("org_id");

-- CreateIndex
CREATE INDEX "backups_environment_id_created_at_id_idx" ON "backups"("environment_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "task_queue_entries_org_id_finished_at_id_idx" ON "task_queue_entries"("org_id", "finished_at", "id");

-- CreateIndex
CREATE INDEX "errors_org_id_resolved_at_id_idx" ON "errors"("org_id", "resolved_at", "id");

-- CreateIndex
CREATE INDEX "prompts_org_id_created_at_id_idx" ON "prompts"("org_id", "created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "retention_overrides_org_id_category_key" ON "retention_overrides"("org_id", "category");

-- CreateIndex
CREATE INDEX "legal_holds_org_id_released_at_idx" ON "legal_holds"("org_id", "released_at");

-- CreateIndex
CREATE INDEX "legal_holds_incident_id_idx" ON "legal_holds"("incident_id");

-- CreateIndex
CREATE INDEX "legal_holds_artifact_id_idx" ON "legal_holds"("artifact_id");

-- CreateIndex
CREATE UNIQUE INDEX "erasure_requests_run_id_key" ON "erasure_requests"("run_id");

-- CreateIndex
CREATE INDEX "erasure_requests_org_id_idx" ON "erasure_requests"("org_id");

-- CreateIndex
CREATE INDEX "erasure_requests_member_id_idx" ON "erasure_requests"("member_id");

-- CreateIndex
CREATE UNIQUE INDEX "purge_plans_erasure_id_key" ON "purge_plans"("erasure_id");

-- CreateIndex
CREATE INDEX "purge_plans_created_at_idx" ON "purge_plans"("created_at");

-- CreateIndex
CREATE INDEX "plan_entries_org_id_idx" ON "plan_entries"("org_id");

-- CreateIndex
CREATE UNIQUE INDEX "plan_entries_plan_id_org_id_category_key" ON "plan_entries"("plan_id", "org_id", "category");

-- CreateIndex
CREATE INDEX "plan_items_plan_id_org_id_category_id_idx" ON "plan_items"("plan_id", "org_id", "category", "id");

-- CreateIndex
CREATE UNIQUE INDEX "purge_runs_run_key_key" ON "purge_runs"("run_key");

-- CreateIndex
CREATE UNIQUE INDEX "purge_runs_plan_id_key" ON "purge_runs"("plan_id");

-- CreateIndex
CREATE INDEX "purge_runs_started_at_idx" ON "purge_runs"("started_at");

-- CreateIndex
CREATE INDEX "purge_runs_status_idx" ON "purge_runs"("status");

-- CreateIndex
CREATE INDEX "purge_tasks_run_id_status_idx" ON "purge_tasks"("run_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "purge_tasks_run_id_org_id_category_key" ON "purge_tasks"("run_id", "org_id", "category");

-- CreateIndex
CREATE INDEX "manifest_batches_run_id_id_idx" ON "manifest_batches"("run_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "manifest_batches_task_id_batch_no_key" ON "manifest_batches"("task_id", "batch_no");

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_hash_key" ON "audit_log"("hash");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_org_id_idx" ON "audit_log"("org_id");

-- CreateIndex
CREATE INDEX "audit_log_action_idx" ON "audit_log"("action");

-- CreateIndex
CREATE INDEX "storage_snapshots_org_id_idx" ON "storage_snapshots"("org_id");

-- CreateIndex
CREATE UNIQUE INDEX "storage_snapshots_day_org_id_category_key" ON "storage_snapshots"("day", "org_id", "category");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "members" ADD CONSTRAINT "members_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "members"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "environments" ADD CONSTRAINT "environments_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "drift_checks" ADD CONSTRAINT "drift_checks_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "drift_checks" ADD CONSTRAINT "drift_checks_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workflow_flags" ADD CONSTRAINT "workflow_flags_drift_check_id_fkey" FOREIGN KEY ("drift_check_id") REFERENCES "drift_checks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_payloads" ADD CONSTRAINT "incident_payloads_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_analyses" ADD CONSTRAINT "image_analyses_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image_analyses" ADD CONSTRAINT "image_analyses_artifact_id_fkey" FOREIGN KEY ("artifact_id") REFERENCES "artifacts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memory_items" ADD CONSTRAINT "memory_items_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scene_iterations" ADD CONSTRAINT "scene_iterations_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backups" ADD CONSTRAINT "backups_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backups" ADD CONSTRAINT "backups_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_queue_entries" ADD CONSTRAINT "task_queue_entries_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "errors" ADD CONSTRAINT "errors_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prompts" ADD CONSTRAINT "prompts_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retention_overrides" ADD CONSTRAINT "retention_overrides_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "erasure_requests" ADD CONSTRAINT "erasure_requests_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "erasure_requests" ADD CONSTRAINT "erasure_requests_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "members"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_entries" ADD CONSTRAINT "plan_entries_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "purge_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "purge_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "purge_runs" ADD CONSTRAINT "purge_runs_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "purge_plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "purge_tasks" ADD CONSTRAINT "purge_tasks_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "purge_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "manifest_batches" ADD CONSTRAINT "manifest_batches_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "purge_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "storage_snapshots" ADD CONSTRAINT "storage_snapshots_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
