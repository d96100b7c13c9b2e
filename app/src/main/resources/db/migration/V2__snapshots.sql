-- Backup schedule, per add-on. The run starts at backup_hour:backup_minute in the add-on's time
-- zone; the minute is spread per add-on so that thousands of them do not start at once.
ALTER TABLE addon ADD COLUMN backup_hour integer DEFAULT 3 NOT NULL;
ALTER TABLE addon ADD COLUMN backup_minute integer DEFAULT 0 NOT NULL;
ALTER TABLE addon ADD COLUMN backup_time_zone text DEFAULT 'UTC' NOT NULL;
-- ISO day of week (1 = Monday ... 7 = Sunday) whose run is kept as the Weekly snapshot.
ALTER TABLE addon ADD COLUMN weekly_day integer DEFAULT 7 NOT NULL;
-- The run on the 1st of the month is kept as Monthly only when this is on (off by default).
ALTER TABLE addon ADD COLUMN monthly_enabled boolean DEFAULT false NOT NULL;
ALTER TABLE addon ADD COLUMN next_backup_at timestamptz;

CREATE INDEX addon_next_backup_idx ON addon (next_backup_at);

-- A database is found in the app's config vars ('config_var') or attached directly by its URL
-- ('attached', when Autobus runs without Heroku); only attached ones keep their URL, sealed.
ALTER TABLE addon_database ADD COLUMN source varchar(16) DEFAULT 'config_var' NOT NULL;
ALTER TABLE addon_database ADD COLUMN url_sealed bytea;
-- Vetted dump options as JSON (exclusions, schema filters, compression level).
ALTER TABLE addon_database ADD COLUMN dump_options text;

CREATE TABLE snapshot (
    id                  varchar(24)  NOT NULL,
    addon_id            uuid         NOT NULL,
    config_var          varchar(255) NOT NULL,
    engine              text         NOT NULL,
    server_version      text,
    -- manual | daily | weekly | monthly
    kind                varchar(16)  NOT NULL,
    -- pending | running | completed | failed
    status              varchar(16)  NOT NULL,
    description         text,
    -- The day a scheduled run is for; null for manual snapshots. With the unique constraint below
    -- a database gets one scheduled snapshot a day however often the dispatcher runs.
    scheduled_for       date,
    job_id              uuid,
    created_at          timestamptz  NOT NULL,
    started_at          timestamptz,
    finished_at         timestamptz,
    duration_ms         bigint,
    size_bytes          bigint,
    sha256              varchar(64),
    storage_region      text,
    storage_key         text,
    database_size_bytes bigint,
    error               text,
    CONSTRAINT snapshot_pk PRIMARY KEY (id),
    CONSTRAINT snapshot_addon_fk FOREIGN KEY (addon_id) REFERENCES addon (id) ON DELETE CASCADE,
    CONSTRAINT snapshot_schedule_uk UNIQUE (addon_id, config_var, scheduled_for)
);

CREATE INDEX snapshot_addon_created_idx ON snapshot (addon_id, created_at);
CREATE INDEX snapshot_job_idx ON snapshot (job_id);

-- Per-table statistics taken at dump time (the seed's "Detalization").
CREATE TABLE snapshot_table (
    snapshot_id varchar(24)  NOT NULL,
    table_name  varchar(512) NOT NULL,
    row_count   bigint       NOT NULL,
    -- false when row_count is the engine's estimate (large tables)
    rows_exact  boolean      NOT NULL,
    size_bytes  bigint       NOT NULL,
    CONSTRAINT snapshot_table_pk PRIMARY KEY (snapshot_id, table_name),
    CONSTRAINT snapshot_table_snapshot_fk FOREIGN KEY (snapshot_id) REFERENCES snapshot (id) ON DELETE CASCADE
);
