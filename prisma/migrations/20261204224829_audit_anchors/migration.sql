-- CreateTable
CREATE TABLE "audit_anchors" (
    "id" BIGSERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "entries" BIGINT NOT NULL,
    "head_hash" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_anchors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_anchors_run_id_key" ON "audit_anchors"("run_id");

-- AddForeignKey
ALTER TABLE "audit_anchors" ADD CONSTRAINT "audit_anchors_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "purge_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Anchors are evidence like the log they anchor: never changed once written.
CREATE FUNCTION refuse_change_of_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_anchors_append_only
  BEFORE UPDATE OR DELETE ON audit_anchors
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_evidence();

CREATE TRIGGER audit_anchors_no_truncate
  BEFORE TRUNCATE ON audit_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_evidence();
