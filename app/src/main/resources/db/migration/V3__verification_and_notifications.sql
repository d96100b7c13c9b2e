-- The dump options a snapshot was taken with, so that verification knows what it left out.
ALTER TABLE snapshot ADD COLUMN dump_options text;
-- null (not verified yet) | running | verified | failed | unverifiable
ALTER TABLE snapshot ADD COLUMN verification varchar(16);
ALTER TABLE snapshot ADD COLUMN verification_detail text;
ALTER TABLE snapshot ADD COLUMN verified_at timestamptz;
ALTER TABLE snapshot ADD COLUMN verification_ms bigint;

-- Where the owner is told when something goes wrong: the owner's e-mail from Heroku unless
-- overridden, and a webhook signed with a per-add-on secret.
ALTER TABLE addon ADD COLUMN notify_email text;
ALTER TABLE addon ADD COLUMN webhook_url text;
ALTER TABLE addon ADD COLUMN webhook_secret_sealed bytea;

-- A problem the owner was told about and that is not over yet (one per add-on and topic, such
-- as 'backup:DATABASE_URL'): while it is open, the same failure sends nothing new.
CREATE TABLE incident (
    addon_id  uuid         NOT NULL,
    topic     varchar(255) NOT NULL,
    opened_at timestamptz  NOT NULL,
    failures  integer      NOT NULL,
    escalated boolean      NOT NULL,
    CONSTRAINT incident_pk PRIMARY KEY (addon_id, topic),
    CONSTRAINT incident_addon_fk FOREIGN KEY (addon_id) REFERENCES addon (id) ON DELETE CASCADE
);

-- Every message, kept (shown on the dashboard; in development, with no SMTP, that is all).
CREATE TABLE notification (
    id             uuid         NOT NULL,
    addon_id       uuid         NOT NULL,
    topic          varchar(255) NOT NULL,
    event          varchar(64)  NOT NULL,
    subject        text         NOT NULL,
    body           text         NOT NULL,
    created_at     timestamptz  NOT NULL,
    -- kept (no SMTP configured) | pending | sent | failed | none (no recipient)
    email_status   varchar(16)  NOT NULL,
    email_to       text,
    -- none | pending | sent | failed
    webhook_status varchar(16)  NOT NULL,
    delivered_at   timestamptz,
    last_error     text,
    CONSTRAINT notification_pk PRIMARY KEY (id),
    CONSTRAINT notification_addon_fk FOREIGN KEY (addon_id) REFERENCES addon (id) ON DELETE CASCADE
);

CREATE INDEX notification_addon_created_idx ON notification (addon_id, created_at);
