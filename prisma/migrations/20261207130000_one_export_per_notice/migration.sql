-- A notice links to one export: its deliveries (webhook, email, retries) share it.
CREATE UNIQUE INDEX "exports_notice_id_key" ON "exports"("notice_id");
