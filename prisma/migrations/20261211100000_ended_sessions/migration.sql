-- Sessions count only while they carry the account's current epoch: a password
-- change or reset and a disable move it on, ending every older session.
ALTER TABLE "users" ADD COLUMN "session_epoch" INTEGER NOT NULL DEFAULT 0;

-- A session signed out: its copies, anywhere, count for nothing until it would have expired.
CREATE TABLE "ended_sessions" (
    "session_id" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "ended_sessions_pkey" PRIMARY KEY ("session_id")
);
CREATE INDEX "ended_sessions_expires_at_idx" ON "ended_sessions"("expires_at");
