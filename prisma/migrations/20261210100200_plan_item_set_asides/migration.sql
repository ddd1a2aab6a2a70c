-- What a run passed by, and why, moves out of the plan's manifest into rows of
-- its own: the manifest is written once by its planning steps and never changed.
CREATE TABLE "plan_item_set_asides" (
    "plan_item_id" BIGINT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "org_id" INTEGER NOT NULL,
    "category" "RetentionCategory" NOT NULL,
    "state" "ItemSetAside" NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "plan_item_set_asides_pkey" PRIMARY KEY ("plan_item_id")
);

CREATE INDEX "plan_item_set_asides_plan_id_category_idx" ON "plan_item_set_asides"("plan_id", "category");

-- Runs in flight keep what they set aside.
INSERT INTO "plan_item_set_asides" ("plan_item_id", "plan_id", "org_id", "category", "state", "reason")
SELECT "id", "plan_id", "org_id", "category", "set_aside", coalesce("skip_reason", 'no reason recorded')
FROM "plan_items" WHERE "set_aside" IS NOT NULL;

ALTER TABLE "plan_items" DROP COLUMN "set_aside",
DROP COLUMN "skip_reason";

-- The manifest is frozen: its items are written by planning and deleted only
-- with an expired or discarded plan, never changed, whoever asks.
CREATE FUNCTION plan_items_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'plan_items is a frozen manifest: UPDATE is not allowed'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER plan_items_frozen
  BEFORE UPDATE ON "plan_items"
  FOR EACH STATEMENT EXECUTE FUNCTION plan_items_refuse_update();
