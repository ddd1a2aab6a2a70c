-- AlterEnum
ALTER TYPE "PlanStepKind" ADD VALUE 'LATEST_CHECKS';

-- CreateTable
CREATE TABLE "plan_latest_checks" (
    "plan_id" TEXT NOT NULL,
    "environment_id" INTEGER NOT NULL,
    "check_id" INTEGER NOT NULL,

    CONSTRAINT "plan_latest_checks_pkey" PRIMARY KEY ("plan_id","environment_id")
);

-- AddForeignKey
ALTER TABLE "plan_latest_checks" ADD CONSTRAINT "plan_latest_checks_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "purge_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
