-- The app's releases (issue 17), from Heroku's api:release webhook deliveries, and the release
-- each snapshot belongs to.
CREATE TABLE app_release (
    addon_id    uuid         NOT NULL,
    version     integer      NOT NULL,
    -- pending | succeeded | failed (as Heroku says)
    status      varchar(16)  NOT NULL,
    description text,
    -- The commit deployed, when known (from the slug, or "Deploy abc1234")
    git_commit  text,
    created_at  timestamptz  NOT NULL,
    updated_at  timestamptz  NOT NULL,
    CONSTRAINT app_release_pk PRIMARY KEY (addon_id, version),
    CONSTRAINT app_release_addon_fk FOREIGN KEY (addon_id) REFERENCES addon (id) ON DELETE CASCADE
);

-- Deliveries already taken (Heroku delivers at least once, and again on a retry).
CREATE TABLE webhook_delivery (
    delivery_id varchar(64)  NOT NULL,
    addon_id    uuid         NOT NULL,
    received_at timestamptz  NOT NULL,
    CONSTRAINT webhook_delivery_pk PRIMARY KEY (delivery_id),
    CONSTRAINT webhook_delivery_addon_fk FOREIGN KEY (addon_id) REFERENCES addon (id) ON DELETE CASCADE
);

-- What a delivery must carry: the Authorization value and the HMAC secret given to Heroku with
-- the add-on's webhook subscription, sealed.
ALTER TABLE addon ADD COLUMN heroku_webhook_secret_sealed bytea;
ALTER TABLE addon ADD COLUMN heroku_webhook_authorization_sealed bytea;

-- The release current when the snapshot's dump started; null when none was known.
ALTER TABLE snapshot ADD COLUMN release_version integer;
ALTER TABLE snapshot ADD COLUMN release_commit text;
ALTER TABLE snapshot ADD COLUMN release_description text;
ALTER TABLE snapshot ADD COLUMN release_created_at timestamptz;

-- The add-on's webhook subscription at Heroku (POST /addons/{id}/webhooks), once made.
ALTER TABLE addon ADD COLUMN heroku_webhook_id text;

-- Take a snapshot of each database when a release succeeds (at most one an hour per database).
ALTER TABLE addon ADD COLUMN snapshot_after_release boolean DEFAULT false NOT NULL;
