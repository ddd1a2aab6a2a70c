-- CreateEnum
CREATE TYPE "ApiTokenScope" AS ENUM ('READ', 'PURGE');

-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "expires_at" TIMESTAMP(3),
ADD COLUMN     "scope" "ApiTokenScope";

-- Backfill (hand-written): tokens made before scopes existed were never
-- granted purge on purpose, so they keep only READ (a purge call with one
-- is refused with a message that says to create a PURGE token), and they
-- expire 90 days from now, as a new token does by default: nothing breaks
-- today, and no token lives forever.
UPDATE "api_tokens" SET "scope" = 'READ', "expires_at" = now() + interval '90 days';

ALTER TABLE "api_tokens" ALTER COLUMN "expires_at" SET NOT NULL,
ALTER COLUMN "scope" SET NOT NULL;

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "must_change_password" BOOLEAN NOT NULL DEFAULT false;
