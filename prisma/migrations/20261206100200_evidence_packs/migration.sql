-- CreateEnum
CREATE TYPE "EvidencePackStatus" AS ENUM ('QUEUED', 'BUILDING', 'READY', 'FAILED');

-- CreateTable
CREATE TABLE "evidence_packs" (
    "id" SERIAL NOT NULL,
    "from_day" DATE NOT NULL,
    "to_day" DATE NOT NULL,
    "org_id" INTEGER,
    "status" "EvidencePackStatus" NOT NULL DEFAULT 'QUEUED',
    "requested_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "done" BIGINT NOT NULL DEFAULT 0,
    "total" BIGINT NOT NULL DEFAULT 0,
    "object_key" TEXT,
    "sha256" TEXT,
    "bytes" BIGINT,
    "items" BIGINT,
    "mismatches" INTEGER,
    "error" TEXT,

    CONSTRAINT "evidence_packs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "evidence_packs_created_at_idx" ON "evidence_packs"("created_at");
