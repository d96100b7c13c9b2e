-- Restores the service runs (issue 16): a stored snapshot streamed into one of the app's
-- databases, whole or some of its tables.
CREATE TABLE restore (
    id                      varchar(24)  NOT NULL,
    addon_id                uuid         NOT NULL,
    snapshot_id             varchar(24)  NOT NULL,
    -- The config var of the database restored into (DATABASE_URL, STAGING_DATABASE_URL...)
    target                  varchar(255) NOT NULL,
    -- whole | alongside | replace
    mode                    varchar(16)  NOT NULL,
    -- The chosen tables as a JSON array of names as the snapshot's statistics name them; null for whole
    tables                  text,
    snapshot_first          boolean      NOT NULL,
    -- pending | running | completed | failed
    status                  varchar(16)  NOT NULL,
    job_id                  uuid         NOT NULL,
    created_at              timestamptz  NOT NULL,
    started_at              timestamptz,
    finished_at             timestamptz,
    -- Written at most once a second while running; cleared at the end
    progress_bytes          bigint,
    progress_expected_bytes bigint,
    progress_table          text,
    -- The snapshot of the target taken first (whole and replace restores)
    safety_snapshot_id      varchar(24),
    -- Where chosen tables went when restored alongside (a schema, or a table-name suffix)
    restored_into           text,
    -- The result: JSON array of {"name", "rows", "expected_rows"}
    result                  text,
    error                   text,
    CONSTRAINT restore_pk PRIMARY KEY (id),
    CONSTRAINT restore_addon_fk FOREIGN KEY (addon_id) REFERENCES addon (id) ON DELETE CASCADE
);

-- One restore per target at a time: a second one is refused (409), across every web process.
CREATE UNIQUE INDEX restore_one_per_target_idx ON restore (addon_id, target) WHERE status IN ('pending', 'running');
CREATE INDEX restore_addon_created_idx ON restore (addon_id, created_at);
