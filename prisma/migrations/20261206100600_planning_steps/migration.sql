-- CreateEnum
CREATE TYPE "PlanStepKind" AS ENUM ('ITEMS', 'SWEPT_ITEMS', 'SWEPT_ENTRIES', 'SNAPSHOT', 'FINISH');

-- AlterEnum
ALTER TYPE "PlanStatus" ADD VALUE 'PLANNING';

-- AlterTable
ALTER TABLE "purge_plans" ADD COLUMN     "frozen" JSONB,
ADD COLUMN     "plan_key" TEXT,
ADD COLUMN     "planned_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "plan_steps" (
    "id" SERIAL NOT NULL,
    "plan_id" TEXT NOT NULL,
    "kind" "PlanStepKind" NOT NULL,
    "category" "RetentionCategory",
    "first_org" INTEGER,
    "last_org" INTEGER,
    "org_count" INTEGER NOT NULL DEFAULT 0,
    "first_item" BIGINT,
    "last_item" BIGINT,
    "status" "TaskStatus" NOT NULL DEFAULT 'PENDING',
    "items" BIGINT NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "digest" TEXT,
    "shares" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMP(3),
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "work_ms" INTEGER,

    CONSTRAINT "plan_steps_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "plan_steps_plan_id_status_idx" ON "plan_steps"("plan_id", "status");

-- AddForeignKey
ALTER TABLE "plan_steps" ADD CONSTRAINT "plan_steps_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "purge_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE UNIQUE INDEX "purge_plans_plan_key_key" ON "purge_plans"("plan_key");
