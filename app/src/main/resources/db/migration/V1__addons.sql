-- One row per provisioned add-on: Heroku's resource uuid is our primary key, so a repeated
-- provision request for the same uuid cannot create a second add-on.
CREATE TABLE addon (
    id                      uuid        NOT NULL,
    name                    text,
    plan                    text        NOT NULL,
    region                  text        NOT NULL,
    callback_url            text,
    -- The per-add-on API key: hashed (hex SHA-256) for lookups, sealed (encrypted) so that a repeated
    -- provision can answer with the same AUTOBUS_URL.
    api_key_hash            varchar(64)      NOT NULL,
    api_key_sealed          bytea       NOT NULL,
    -- OAuth grant from the provision request, kept sealed until it is exchanged.
    oauth_grant_sealed      bytea,
    access_token_sealed     bytea,
    refresh_token_sealed    bytea,
    access_token_expires_at timestamptz,
    app_id                  uuid,
    app_name                text,
    owner_email             text,
    -- pending (just provisioned) | waiting_for_access (we cannot read the app's config vars) | active
    access_state            text        NOT NULL,
    access_message          text,
    access_checked_at       timestamptz,
    next_access_check_at    timestamptz NOT NULL,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    CONSTRAINT addon_pk PRIMARY KEY (id),
    CONSTRAINT addon_api_key_hash_uk UNIQUE (api_key_hash)
);

CREATE INDEX addon_next_access_check_idx ON addon (next_access_check_at);

-- The databases found in the app's config vars at the last access check. No credentials:
-- URLs are read fresh from Heroku whenever they are needed, because Heroku rotates them.
CREATE TABLE addon_database (
    addon_id      uuid        NOT NULL,
    config_var    varchar(255) NOT NULL,
    engine        text        NOT NULL,
    host          text        NOT NULL,
    port          integer     NOT NULL,
    database_name text        NOT NULL,
    discovered_at timestamptz NOT NULL,
    CONSTRAINT addon_database_pk PRIMARY KEY (addon_id, config_var),
    CONSTRAINT addon_database_addon_fk FOREIGN KEY (addon_id) REFERENCES addon (id) ON DELETE CASCADE
);

-- SSO tokens already used, so that a captured login form cannot be replayed.
CREATE TABLE sso_token_use (
    token_hash varchar(64) NOT NULL,
    used_at    timestamptz NOT NULL,
    CONSTRAINT sso_token_use_pk PRIMARY KEY (token_hash)
);

-- Dashboard sessions; the cookie holds a random id, the table only its hash.
CREATE TABLE web_session (
    id_hash    varchar(64) NOT NULL,
    addon_id   uuid        NOT NULL,
    email      text,
    user_id    text,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    CONSTRAINT web_session_pk PRIMARY KEY (id_hash),
    CONSTRAINT web_session_addon_fk FOREIGN KEY (addon_id) REFERENCES addon (id) ON DELETE CASCADE
);

-- Add-ons removed by Heroku: a repeated deprovision of one of them is answered 410 Gone,
-- not 404, so that Heroku's retries see that the removal happened.
CREATE TABLE deprovisioned_addon (
    id               uuid        NOT NULL,
    deprovisioned_at timestamptz NOT NULL,
    CONSTRAINT deprovisioned_addon_pk PRIMARY KEY (id)
);
