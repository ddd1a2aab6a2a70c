-- An erasure request's scope is fixed when it is made. Until now it was read
-- from member_id, which ON DELETE SET NULL turns into "every artifact of the
-- org" when the governed SaaS deletes the member: a one-member erasure
-- silently became a whole-org one.

-- CreateEnum
CREATE TYPE "ErasureScope" AS ENUM ('ORGANIZATION', 'MEMBER');

-- AlterTable (scope is NOT NULL once the rows below have one)
ALTER TABLE "erasure_requests" ADD COLUMN     "scope" "ErasureScope",
ADD COLUMN     "scope_member_external_id" TEXT,
ADD COLUMN     "scope_member_id" INTEGER;

-- Backfill. The member a request named is taken from member_id while the
-- member exists, else from the request's own audit entry (erasure.requested,
-- written in the transaction that made the request, records its memberId).
-- A request with neither is recorded as a whole-org request: a null member
-- today is indistinguishable from one, and nothing else says otherwise. A
-- second admin still previews it before anything is deleted, and every
-- screen now shows it as "Whole organization".
-- The external id is known only for members that still exist.
UPDATE "erasure_requests" r
SET "scope_member_id" = coalesce(r."member_id", (
      SELECT (a."details"->>'memberId')::int FROM "audit_log" a
      WHERE a."action" = 'erasure.requested' AND a."target" = 'erasure:' || r."id"
      ORDER BY a."id" LIMIT 1)),
    "scope_member_external_id" = (SELECT m."external_id" FROM "members" m WHERE m."id" = r."member_id");
UPDATE "erasure_requests"
SET "scope" = CASE WHEN "scope_member_id" IS NULL THEN 'ORGANIZATION' ELSE 'MEMBER' END::"ErasureScope";

ALTER TABLE "erasure_requests" ALTER COLUMN "scope" SET NOT NULL;

-- A member request names its member; a whole-org request names none; and
-- member_id, the live link, can only point at the member of the scope.
ALTER TABLE "erasure_requests"
  ADD CONSTRAINT "erasure_requests_scope_member" CHECK (("scope" = 'MEMBER') = ("scope_member_id" IS NOT NULL)),
  ADD CONSTRAINT "erasure_requests_scope_external_id" CHECK ("scope_member_external_id" IS NULL OR "scope" = 'MEMBER'),
  ADD CONSTRAINT "erasure_requests_member_in_scope" CHECK ("member_id" IS NULL OR "member_id" = "scope_member_id");

-- Nothing may change a request's scope after it is made, whoever asks (the
-- app, a console session, a hand-written UPDATE): what a second admin
-- approves must be what the first one requested. Prisma cannot express a
-- trigger, hence this hand-written part. The member FK's SET NULL still works:
-- it changes member_id only.
CREATE FUNCTION erasure_requests_refuse_scope_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.org_id IS DISTINCT FROM OLD.org_id
     OR NEW.scope IS DISTINCT FROM OLD.scope
     OR NEW.scope_member_id IS DISTINCT FROM OLD.scope_member_id
     OR NEW.scope_member_external_id IS DISTINCT FROM OLD.scope_member_external_id THEN
    RAISE EXCEPTION 'erasure request %: its scope is fixed when it is requested and cannot be changed', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER erasure_requests_scope_fixed
  BEFORE UPDATE ON erasure_requests
  FOR EACH ROW EXECUTE FUNCTION erasure_requests_refuse_scope_change();
