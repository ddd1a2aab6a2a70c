-- CreateEnum
CREATE TYPE "ExportStatus" AS ENUM ('QUEUED', 'BUILDING', 'READY', 'FAILED', 'EXPIRED');

-- CreateTable
CREATE TABLE "exports" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "categories" "RetentionCategory"[],
    "within_days" INTEGER NOT NULL,
    "as_of" TIMESTAMP(3) NOT NULL,
    "status" "ExportStatus" NOT NULL DEFAULT 'QUEUED',
    "requested_by_id" INTEGER,
    "notice_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3) NOT NULL,
    "expired_at" TIMESTAMP(3),
    "items_done" BIGINT NOT NULL DEFAULT 0,
    "items_total" BIGINT NOT NULL DEFAULT 0,
    "bytes_done" BIGINT NOT NULL DEFAULT 0,
    "bytes_total" BIGINT NOT NULL DEFAULT 0,
    "object_key" TEXT,
    "sha256" TEXT,
    "bytes" BIGINT,
    "error" TEXT,

    CONSTRAINT "exports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "exports_org_id_created_at_idx" ON "exports"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "exports_status_expires_at_idx" ON "exports"("status", "expires_at");
