-- The forecast snapshot is amended pair by pair instead of being marked
-- stale whole. A snapshot marked stale before this migration does not know
-- which pairs changed: it goes, and the next read computes a new one.
DELETE FROM "forecast_snapshots" WHERE "stale_at" IS NOT NULL;

-- AlterTable
ALTER TABLE "forecast_snapshots" DROP COLUMN "stale_at",
ADD COLUMN     "amended_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "forecast_dirty_pairs" (
    "id" BIGSERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "marked_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "forecast_dirty_pairs_pkey" PRIMARY KEY ("id")
);
