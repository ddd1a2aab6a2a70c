-- CreateTable
CREATE TABLE "forecast_snapshots" (
    "id" SERIAL NOT NULL,
    "as_of" TIMESTAMP(3) NOT NULL,
    "policy_key" TEXT NOT NULL,
    "computed_ms" INTEGER NOT NULL DEFAULT 0,
    "stale_at" TIMESTAMP(3),

    CONSTRAINT "forecast_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "forecast_calendar_days" (
    "snapshot_id" INTEGER NOT NULL,
    "plan" "Plan" NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "day" DATE NOT NULL,
    "items" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,

    CONSTRAINT "forecast_calendar_days_pkey" PRIMARY KEY ("snapshot_id","plan","category","day")
);

-- CreateTable
CREATE TABLE "forecast_totals" (
    "snapshot_id" INTEGER NOT NULL,
    "horizon_days" INTEGER NOT NULL,
    "org_id" INTEGER NOT NULL,
    "plan" "Plan" NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "items" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,
    "first_day" DATE NOT NULL,
    "last_day" DATE NOT NULL,

    CONSTRAINT "forecast_totals_pkey" PRIMARY KEY ("snapshot_id","horizon_days","org_id","category")
);

-- CreateTable
CREATE TABLE "forecast_days" (
    "snapshot_id" INTEGER NOT NULL,
    "org_id" INTEGER NOT NULL,
    "plan" "Plan" NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "day" DATE NOT NULL,
    "items" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,

    CONSTRAINT "forecast_days_pkey" PRIMARY KEY ("snapshot_id","org_id","category","day")
);

-- CreateIndex
CREATE INDEX "forecast_totals_org_id_idx" ON "forecast_totals"("org_id");

-- CreateIndex
CREATE INDEX "forecast_days_snapshot_id_day_idx" ON "forecast_days"("snapshot_id", "day");

-- CreateIndex
CREATE INDEX "forecast_days_org_id_idx" ON "forecast_days"("org_id");

-- AddForeignKey
ALTER TABLE "forecast_calendar_days" ADD CONSTRAINT "forecast_calendar_days_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "forecast_snapshots"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "forecast_totals" ADD CONSTRAINT "forecast_totals_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "forecast_snapshots"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "forecast_totals" ADD CONSTRAINT "forecast_totals_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "forecast_days" ADD CONSTRAINT "forecast_days_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "forecast_snapshots"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "forecast_days" ADD CONSTRAINT "forecast_days_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
