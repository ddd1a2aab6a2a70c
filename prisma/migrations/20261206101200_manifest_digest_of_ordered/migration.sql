-- The digest of ids already in manifest order, so a writer that stores the
-- ordered ids sorts them once: manifest_batch_digest is now this digest of
-- manifest_order(ids), the same formula (docs/engine.md, "The manifest
-- batch digest"), defined once.
CREATE FUNCTION manifest_digest(category text, org_id integer, ordered_ids text[]) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$
  SELECT encode(sha256(convert_to(
    category || ':' || org_id || ':' || array_to_string(ordered_ids, ','), 'UTF8')), 'hex')
$$;

CREATE OR REPLACE FUNCTION manifest_batch_digest(category text, org_id integer, item_ids text[]) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$ SELECT manifest_digest(category, org_id, manifest_order(item_ids)) $$;
