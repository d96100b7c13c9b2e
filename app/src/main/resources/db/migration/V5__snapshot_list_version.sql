-- Counts every change to an add-on's snapshots (new, changed, deleted), so a web process may
-- keep the REST API's rendered list and serve it again while the count has not moved: one
-- indexed read per request instead of a page of rows to map and serialize.
ALTER TABLE addon ADD COLUMN snapshots_version bigint DEFAULT 0 NOT NULL;

-- [jooq ignore start] (jOOQ generates classes from these scripts and does not read PL/pgSQL)
CREATE FUNCTION bump_snapshots_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE addon SET snapshots_version = snapshots_version + 1
     WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.addon_id ELSE NEW.addon_id END);
    RETURN NULL;
END
$$;

CREATE TRIGGER snapshot_changed AFTER INSERT OR UPDATE OR DELETE ON snapshot
    FOR EACH ROW EXECUTE FUNCTION bump_snapshots_version();
-- [jooq ignore stop]
