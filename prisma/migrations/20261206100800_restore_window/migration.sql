-- AlterTable
ALTER TABLE "plan_entries" ADD COLUMN     "restore_days" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "kept_items" (
    "id" BIGSERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "org_id" INTEGER NOT NULL,
    "item_id" INTEGER NOT NULL,
    "row" JSONB,
    "links" JSONB,
    "object_key" TEXT,
    "bytes" BIGINT NOT NULL,
    "kept_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "restorable_until" TIMESTAMP(3) NOT NULL,
    "restored_at" TIMESTAMP(3),
    "restore_id" TEXT,
    "final_run_id" TEXT,
    "finally_deleted_at" TIMESTAMP(3),

    CONSTRAINT "kept_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "restores" (
    "id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "org_id" INTEGER,
    "category" "RetentionCategory",
    "item_id" INTEGER,
    "actor" TEXT NOT NULL,
    "actor_id" INTEGER,
    "items" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,
    "restored_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "restores_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "window_batches" (
    "id" BIGSERIAL NOT NULL,
    "restore_id" TEXT,
    "final_run_id" TEXT,
    "org_id" INTEGER NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "item_ids" TEXT[],
    "sha256" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "window_batches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "kept_items_restorable_until_idx" ON "kept_items"("restorable_until");

-- CreateIndex
CREATE INDEX "kept_items_run_id_org_id_category_idx" ON "kept_items"("run_id", "org_id", "category");

-- CreateIndex
CREATE INDEX "kept_items_object_key_idx" ON "kept_items"("object_key");

-- CreateIndex
CREATE INDEX "restores_run_id_idx" ON "restores"("run_id");

-- CreateIndex
CREATE INDEX "window_batches_restore_id_idx" ON "window_batches"("restore_id");

-- CreateIndex
CREATE INDEX "window_batches_final_run_id_idx" ON "window_batches"("final_run_id");
