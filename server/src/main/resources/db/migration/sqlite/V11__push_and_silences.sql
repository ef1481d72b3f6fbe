-- Web Push: one row per browser (device) a user subscribed; endpoint is the push service's capability URL,
-- p256dh and auth the browser's keys for RFC 8291 encryption.
CREATE TABLE push_subscriptions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    endpoint   TEXT NOT NULL UNIQUE,
    p256dh     TEXT NOT NULL,
    auth       TEXT NOT NULL,
    name       TEXT,
    user_agent TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- One row per push to one subscription, retried like alert_deliveries; payload is the JSON the service worker shows.
CREATE TABLE push_deliveries (
    id              TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    event_id        TEXT,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at BIGINT,
    created_at      BIGINT NOT NULL,
    delivered_at    BIGINT,
    payload         TEXT NOT NULL
);
CREATE INDEX push_deliveries_due ON push_deliveries (status, next_attempt_at);

-- Silences: no notifications for a server and/or rule between starts_at and ends_at (neither: the whole hub).
CREATE TABLE alert_silences (
    id         TEXT PRIMARY KEY,
    server_id  TEXT REFERENCES servers (id) ON DELETE CASCADE,
    rule_id    TEXT REFERENCES alert_rules (id) ON DELETE CASCADE,
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT NOT NULL,
    comment    TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX alert_silences_ends ON alert_silences (ends_at);
