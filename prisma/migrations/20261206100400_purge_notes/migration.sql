-- CreateTable
CREATE TABLE "purge_notes" (
    "category" "RetentionCategory" NOT NULL,
    "shell_id" INTEGER NOT NULL,
    "items" INTEGER NOT NULL,
    "first_purged_at" TIMESTAMP(3) NOT NULL,
    "last_purged_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "purge_notes_pkey" PRIMARY KEY ("category","shell_id")
);

-- A purge note per shell, moved by the statement that deletes its items,
-- whichever path deletes them (a task's batch or a sweep's one statement).
-- Arguments: the category, and the deleted rows' column naming their shell.
-- Notes are upserted in shell order, so two batches lock them alike.
CREATE FUNCTION note_purge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format(
    'INSERT INTO purge_notes (category, shell_id, items, first_purged_at, last_purged_at)
     SELECT %L::"RetentionCategory", %I, count(*)::int, now(), now()
     FROM purged GROUP BY %I ORDER BY %I
     ON CONFLICT (category, shell_id) DO UPDATE
       SET items = purge_notes.items + EXCLUDED.items, last_purged_at = EXCLUDED.last_purged_at',
    TG_ARGV[0], TG_ARGV[1], TG_ARGV[1], TG_ARGV[1]);
  RETURN NULL;
END;
$$;

CREATE TRIGGER approvals_purge_note
  AFTER DELETE ON approvals REFERENCING OLD TABLE AS purged
  FOR EACH STATEMENT EXECUTE FUNCTION note_purge('APPROVALS', 'incident_id');
-- Not on drift_checks: the transition table copies every deleted row, about a fifth
-- more time on the purge's largest category (measured on the scale dataset), and an
-- environment's page can say what its org's tasks purged instead.
