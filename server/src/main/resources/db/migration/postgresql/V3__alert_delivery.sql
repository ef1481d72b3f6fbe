-- Alert delivery: channels (email, webhook), per-user in-app notifications, and every delivery attempt.

-- The rule's name travels with its events so history still reads well after a rule is renamed or deleted.
ALTER TABLE alert_events ADD COLUMN rule_name TEXT;
-- stage: which threshold an event crossed (1 warning, 2 critical), whatever severity the rule gave that level;
-- lets a restarted hub resume firing state without notifying again.
ALTER TABLE alert_events ADD COLUMN stage INTEGER;
CREATE INDEX alert_events_state ON alert_events (state);

-- config: the non-secret settings as JSON ({"to": [...]} or {"format": ...}); secret: the webhook URL,
-- AES-256-GCM encrypted (it often embeds a token); allow_private: only an admin may set it.
CREATE TABLE alert_channels (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL,
    config        TEXT NOT NULL,
    secret        BYTEA,
    secret_hint   TEXT,
    allow_private BOOLEAN NOT NULL DEFAULT FALSE,
    owner_id      TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE notifications (
    id       TEXT PRIMARY KEY,
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event_id TEXT,
    title    TEXT NOT NULL,
    body     TEXT NOT NULL,
    level    TEXT NOT NULL,
    ts       BIGINT NOT NULL,
    read_at  BIGINT
);
CREATE INDEX notifications_user_ts ON notifications (user_id, ts);

-- status: pending (first try or waiting to retry), delivered, failed (gave up). payload: what to send, so a
-- retry after a hub restart sends the same message.
CREATE TABLE alert_deliveries (
    id              TEXT PRIMARY KEY,
    channel_id      TEXT NOT NULL REFERENCES alert_channels (id) ON DELETE CASCADE,
    event_id        TEXT,
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at BIGINT,
    created_at      BIGINT NOT NULL,
    delivered_at    BIGINT,
    payload         TEXT NOT NULL
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_attempt_at);
CREATE INDEX alert_deliveries_channel ON alert_deliveries (channel_id, created_at);
