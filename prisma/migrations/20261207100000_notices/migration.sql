-- CreateEnum
CREATE TYPE "NoticeChannel" AS ENUM ('WEBHOOK', 'EMAIL');

-- CreateEnum
CREATE TYPE "NoticeDeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "notice_settings" (
    "org_id" INTEGER NOT NULL,
    "webhook_url" TEXT,
    "sealed_secret" BYTEA,
    "secret_created_at" TIMESTAMP(3),
    "recipients" TEXT[],
    "lead_days" INTEGER NOT NULL DEFAULT 7,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "notice_settings_pkey" PRIMARY KEY ("org_id")
);

-- CreateTable
CREATE TABLE "notices" (
    "id" UUID NOT NULL,
    "org_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lead_days" INTEGER NOT NULL,
    "first_due_date" DATE NOT NULL,

    CONSTRAINT "notices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notice_categories" (
    "notice_id" UUID NOT NULL,
    "org_id" INTEGER NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "items" BIGINT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "first_due_date" DATE NOT NULL,
    "watermark_from" TIMESTAMP(3),
    "watermark_to" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "notice_categories_pkey" PRIMARY KEY ("notice_id","category")
);

-- CreateTable
CREATE TABLE "notice_deliveries" (
    "id" UUID NOT NULL,
    "notice_id" UUID NOT NULL,
    "channel" "NoticeChannel" NOT NULL,
    "status" "NoticeDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "notice_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notices_created_at_idx" ON "notices"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "notices_org_id_day_key" ON "notices"("org_id", "day");

-- CreateIndex
CREATE INDEX "notice_categories_org_id_category_watermark_to_idx" ON "notice_categories"("org_id", "category", "watermark_to");

-- CreateIndex
CREATE INDEX "notice_deliveries_status_idx" ON "notice_deliveries"("status");

-- CreateIndex
CREATE UNIQUE INDEX "notice_deliveries_notice_id_channel_key" ON "notice_deliveries"("notice_id", "channel");

-- AddForeignKey
ALTER TABLE "notice_categories" ADD CONSTRAINT "notice_categories_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notice_deliveries" ADD CONSTRAINT "notice_deliveries_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE CASCADE ON UPDATE CASCADE;
