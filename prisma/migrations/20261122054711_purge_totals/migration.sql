/*
  Warnings:

  - You are about to drop the column `keep_newest` on the `plan_entries` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "plan_entries" DROP COLUMN "keep_newest";

-- CreateTable
CREATE TABLE "purge_totals" (
    "plan" "Plan" NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "deleted" BIGINT NOT NULL DEFAULT 0,
    "bytes_freed" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "purge_totals_pkey" PRIMARY KEY ("plan","category")
);
