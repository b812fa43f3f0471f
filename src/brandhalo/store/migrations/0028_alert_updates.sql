-- What each webhook was told of each alert episode, one row per message: the first one and
-- every follow-up (brandhalo.alerts.delivery). A message's delivery row in `deliveries` is
-- (episode_id, row_key); the latest row told is what the next state of the episode is
-- compared with (its top driving theme, its count), and `brandhalo alerts` lists the
-- follow-ups sent.
CREATE TABLE IF NOT EXISTS alert_updates (
    episode_id      VARCHAR NOT NULL,
    sink            VARCHAR NOT NULL,   -- the webhook's key (kind + hash of its url)
    row_key         VARCHAR NOT NULL,   -- the `deliveries.sink` value it was sent under
    change          VARCHAR NOT NULL,   -- new | escalated, growing, driver, ended (joined by ',')
    kind            VARCHAR NOT NULL,
    severity        INTEGER NOT NULL,
    count           INTEGER,            -- the episode's count told (NULL: it had none)
    driver          VARCHAR,            -- its top driving theme told (NULL: none named)
    driver_name     VARCHAR,            -- that theme's display name in the message
    previous_driver VARCHAR,            -- on a follow-up: the driver and count told before
    previous_count  INTEGER,
    ended_on        DATE,               -- on an "ended" message: the crisis's last day and the
    back_on         DATE,               -- day its negative share was back (NULL: never left)
    recorded_at     TIMESTAMP NOT NULL, -- written before the message's first try
    PRIMARY KEY (episode_id, row_key)
);
