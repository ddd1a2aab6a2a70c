-- CreateEnum
CREATE TYPE "PinScope" AS ENUM ('INCIDENT', 'ARTIFACT');

-- CreateTable
CREATE TABLE "pins" (
    "id" SERIAL NOT NULL,
    "scope" "PinScope" NOT NULL,
    "org_id" INTEGER NOT NULL,
    "incident_id" INTEGER,
    "artifact_id" INTEGER,
    "pinned_until" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "placed_by_id" INTEGER NOT NULL,
    "placed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removed_by_id" INTEGER,
    "removed_at" TIMESTAMP(3),

    CONSTRAINT "pins_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pins_org_id_removed_at_idx" ON "pins"("org_id", "removed_at");

-- CreateIndex
CREATE INDEX "pins_incident_id_idx" ON "pins"("incident_id");

-- CreateIndex
CREATE INDEX "pins_artifact_id_idx" ON "pins"("artifact_id");

-- AddForeignKey
ALTER TABLE "pins" ADD CONSTRAINT "pins_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pins" ADD CONSTRAINT "pins_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
