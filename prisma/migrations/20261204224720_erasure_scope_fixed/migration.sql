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

-- Nothing may change a request's scope after it is made, whoever asks (the
-- app, a console session, a hand-written UPDATE): what a second admin
-- approves must be what the first one requested. A member request names its
-- member, a whole-org request none, and member_id (the live link, which the
-- member FK's SET NULL clears) only ever points at the member of the scope.
-- A trigger, not CHECK constraints: Prisma's schema engine cannot diff a
-- database that has CHECK constraints (migrate dev aborts), and it cannot
-- express either, hence this hand-written part.
CREATE FUNCTION erasure_requests_scope_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (
       NEW.org_id IS DISTINCT FROM OLD.org_id
       OR NEW.scope IS DISTINCT FROM OLD.scope
       OR NEW.scope_member_id IS DISTINCT FROM OLD.scope_member_id
       OR NEW.scope_member_external_id IS DISTINCT FROM OLD.scope_member_external_id) THEN
    RAISE EXCEPTION 'erasure request %: its scope is fixed when it is requested and cannot be changed', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.scope = 'MEMBER') <> (NEW.scope_member_id IS NOT NULL)
     OR (NEW.scope_member_external_id IS NOT NULL AND NEW.scope <> 'MEMBER')
     OR (NEW.member_id IS NOT NULL AND NEW.member_id IS DISTINCT FROM NEW.scope_member_id) THEN
    RAISE EXCEPTION 'erasure request %: a MEMBER request names its member (scope_member_id, and member_id only that member), a whole-organization request none', NEW.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER erasure_requests_scope_fixed
  BEFORE INSERT OR UPDATE ON erasure_requests
  FOR EACH ROW EXECUTE FUNCTION erasure_requests_scope_fixed();
