-- CreateIndex
CREATE INDEX "incidents_detected_at_id_idx" ON "incidents"("detected_at", "id");
