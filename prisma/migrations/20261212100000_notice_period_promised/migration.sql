-- Whether the notice promised a notice period (its org's plan did when it was
-- written): the promise holds what it told of for its lead time, whatever
-- the org's plan or notice settings become.
ALTER TABLE "notices" ADD COLUMN "notice_period" BOOLEAN NOT NULL DEFAULT false;

-- Notices written before this column: taken as promised where the org's plan
-- promises a period by default now (AGENCY, ENTERPRISE), the reading that
-- keeps rather than deletes.
UPDATE "notices" n SET "notice_period" = true
FROM "organizations" o
WHERE o."id" = n."org_id" AND o."plan" IN ('AGENCY', 'ENTERPRISE');
