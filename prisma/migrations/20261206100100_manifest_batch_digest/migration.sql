-- The one definition of a manifest batch's evidence (docs/engine.md, "The
-- manifest batch digest"): its ids in manifest order, and their SHA-256
-- under the category and the org. Every manifest batch, a task's or a
-- sweep's, is written with these two; an auditor recomputes the digest from
-- the ids a manifest lists.

-- Manifest order: ascending by the ids' bytes in UTF-8, the database's
-- encoding (a row's id as decimal text, so "10" before "9"; an orphan's
-- object key), whatever its collation.
CREATE FUNCTION manifest_order(item_ids text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT ARRAY(SELECT id FROM unnest(item_ids) AS u(id) ORDER BY id COLLATE "C") $$;

-- sha256("<CATEGORY>:<orgId>:" + the ids in manifest order joined by ","),
-- as lowercase hex. STABLE as convert_to and array_to_string are.
CREATE FUNCTION manifest_batch_digest(category text, org_id integer, item_ids text[]) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$
  SELECT encode(sha256(convert_to(
    category || ':' || org_id || ':' || array_to_string(manifest_order(item_ids), ','), 'UTF8')), 'hex')
$$;
