-- CreateTable
CREATE TABLE "plan_entry_parts" (
    "id" BIGSERIAL NOT NULL,
    "plan_id" TEXT NOT NULL,
    "org_id" INTEGER NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "items" BIGINT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "stored_items" BIGINT NOT NULL,
    "stored_bytes" BIGINT NOT NULL,

    CONSTRAINT "plan_entry_parts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "plan_entry_parts_plan_id_category_org_id_idx" ON "plan_entry_parts"("plan_id", "category", "org_id");

-- AddForeignKey
ALTER TABLE "plan_entry_parts" ADD CONSTRAINT "plan_entry_parts_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "purge_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
