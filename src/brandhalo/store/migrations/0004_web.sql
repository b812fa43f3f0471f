-- Web access tokens, alert deliveries and the dead-letter record (owned by brandhalo.web and
-- brandhalo.alerts).

-- Tokens are stored as sha256 hex digests only; the secret is shown once at creation.
CREATE TABLE IF NOT EXISTS tokens (
    token_id    VARCHAR PRIMARY KEY,        -- short public id (first chars of the secret's hash)
    name        VARCHAR,
    role        VARCHAR NOT NULL,           -- read | admin
    token_hash  VARCHAR NOT NULL UNIQUE,    -- sha256 hex of the secret
    created_at  TIMESTAMP DEFAULT current_timestamp,
    last_used_at TIMESTAMP,
    revoked_at  TIMESTAMP
);

-- One row per (alert episode, sink) that was delivered: an episode is never sent twice.
CREATE TABLE IF NOT EXISTS deliveries (
    episode_id   VARCHAR NOT NULL,
    sink         VARCHAR NOT NULL,          -- sink key: kind + hash of its url
    status       VARCHAR NOT NULL,          -- sent | dead
    attempts     INTEGER NOT NULL,
    first_try_at TIMESTAMP,
    delivered_at TIMESTAMP,
    PRIMARY KEY (episode_id, sink)
);

-- Deliveries that failed after every retry, with the last error and the payload, for
-- `brandhalo alerts --failed` and a later resend.
CREATE SEQUENCE IF NOT EXISTS dead_letter_seq START 1;

CREATE TABLE IF NOT EXISTS dead_letters (
    dead_id     BIGINT PRIMARY KEY,
    episode_id  VARCHAR NOT NULL,
    sink        VARCHAR NOT NULL,
    sink_kind   VARCHAR NOT NULL,
    url         VARCHAR NOT NULL,           -- with any query secret removed
    attempts    INTEGER NOT NULL,
    last_status INTEGER,                    -- HTTP status of the last try (NULL: no answer)
    last_error  VARCHAR,
    payload     VARCHAR NOT NULL,           -- JSON body that was sent
    failed_at   TIMESTAMP DEFAULT current_timestamp
);
