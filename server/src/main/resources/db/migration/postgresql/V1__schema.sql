-- FLick schema, postgresql. Times are epoch milliseconds (BIGINT) on every database so the SQL stays the same.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT,
    password_hash TEXT,
    role          TEXT NOT NULL,
    locale        TEXT,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE refresh_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id  TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    spent_at   BIGINT,
    revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE servers (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    mode                 TEXT NOT NULL,
    owner_id             TEXT REFERENCES users (id) ON DELETE SET NULL,
    host                 TEXT,
    port                 INTEGER,
    username             TEXT,
    credentials          BYTEA,
    host_key_fingerprint TEXT,
    agent_token_hash     TEXT UNIQUE,
    status               TEXT NOT NULL DEFAULT 'pending',
    status_reason        TEXT,
    last_seen            BIGINT,
    info                 TEXT,
    created_at           BIGINT NOT NULL
);

-- Raw snapshots at the collection interval: one column per charted series, the rest (cores, disks,
-- interfaces, top processes) as the deflated snapshot JSON in detail.
CREATE TABLE metrics_snapshots (
    server_id        TEXT NOT NULL,
    ts               BIGINT NOT NULL,
    cpu              DOUBLE PRECISION,
    mem_used         BIGINT,
    mem_total        BIGINT,
    swap_used        BIGINT,
    swap_total       BIGINT,
    disk_used        BIGINT,
    disk_total       BIGINT,
    disk_read_bps    DOUBLE PRECISION,
    disk_write_bps   DOUBLE PRECISION,
    net_rx_bps       DOUBLE PRECISION,
    net_tx_bps       DOUBLE PRECISION,
    load1            DOUBLE PRECISION,
    load5            DOUBLE PRECISION,
    load15           DOUBLE PRECISION,
    process_count    INTEGER,
    detail           BYTEA,
    PRIMARY KEY (server_id, ts)
);

-- Rollups: avg (plain name), min and max of every series per bucket; peak_detail: the snapshot (deflated JSON) at the bucket's CPU peak, for "which process at 03:12".
CREATE TABLE metrics_1m (
    server_id            TEXT NOT NULL,
    ts                   BIGINT NOT NULL,
    samples              INTEGER NOT NULL,
    cpu                  DOUBLE PRECISION,
    cpu_min              DOUBLE PRECISION,
    cpu_max              DOUBLE PRECISION,
    mem_used             DOUBLE PRECISION,
    mem_used_min         DOUBLE PRECISION,
    mem_used_max         DOUBLE PRECISION,
    mem_total            DOUBLE PRECISION,
    mem_total_min        DOUBLE PRECISION,
    mem_total_max        DOUBLE PRECISION,
    swap_used            DOUBLE PRECISION,
    swap_used_min        DOUBLE PRECISION,
    swap_used_max        DOUBLE PRECISION,
    swap_total           DOUBLE PRECISION,
    swap_total_min       DOUBLE PRECISION,
    swap_total_max       DOUBLE PRECISION,
    disk_used            DOUBLE PRECISION,
    disk_used_min        DOUBLE PRECISION,
    disk_used_max        DOUBLE PRECISION,
    disk_total           DOUBLE PRECISION,
    disk_total_min       DOUBLE PRECISION,
    disk_total_max       DOUBLE PRECISION,
    disk_read_bps        DOUBLE PRECISION,
    disk_read_bps_min    DOUBLE PRECISION,
    disk_read_bps_max    DOUBLE PRECISION,
    disk_write_bps       DOUBLE PRECISION,
    disk_write_bps_min   DOUBLE PRECISION,
    disk_write_bps_max   DOUBLE PRECISION,
    net_rx_bps           DOUBLE PRECISION,
    net_rx_bps_min       DOUBLE PRECISION,
    net_rx_bps_max       DOUBLE PRECISION,
    net_tx_bps           DOUBLE PRECISION,
    net_tx_bps_min       DOUBLE PRECISION,
    net_tx_bps_max       DOUBLE PRECISION,
    load1                DOUBLE PRECISION,
    load1_min            DOUBLE PRECISION,
    load1_max            DOUBLE PRECISION,
    load5                DOUBLE PRECISION,
    load5_min            DOUBLE PRECISION,
    load5_max            DOUBLE PRECISION,
    load15               DOUBLE PRECISION,
    load15_min           DOUBLE PRECISION,
    load15_max           DOUBLE PRECISION,
    peak_detail          BYTEA,
    PRIMARY KEY (server_id, ts)
);

CREATE TABLE metrics_1h (
    server_id            TEXT NOT NULL,
    ts                   BIGINT NOT NULL,
    samples              INTEGER NOT NULL,
    cpu                  DOUBLE PRECISION,
    cpu_min              DOUBLE PRECISION,
    cpu_max              DOUBLE PRECISION,
    mem_used             DOUBLE PRECISION,
    mem_used_min         DOUBLE PRECISION,
    mem_used_max         DOUBLE PRECISION,
    mem_total            DOUBLE PRECISION,
    mem_total_min        DOUBLE PRECISION,
    mem_total_max        DOUBLE PRECISION,
    swap_used            DOUBLE PRECISION,
    swap_used_min        DOUBLE PRECISION,
    swap_used_max        DOUBLE PRECISION,
    swap_total           DOUBLE PRECISION,
    swap_total_min       DOUBLE PRECISION,
    swap_total_max       DOUBLE PRECISION,
    disk_used            DOUBLE PRECISION,
    disk_used_min        DOUBLE PRECISION,
    disk_used_max        DOUBLE PRECISION,
    disk_total           DOUBLE PRECISION,
    disk_total_min       DOUBLE PRECISION,
    disk_total_max       DOUBLE PRECISION,
    disk_read_bps        DOUBLE PRECISION,
    disk_read_bps_min    DOUBLE PRECISION,
    disk_read_bps_max    DOUBLE PRECISION,
    disk_write_bps       DOUBLE PRECISION,
    disk_write_bps_min   DOUBLE PRECISION,
    disk_write_bps_max   DOUBLE PRECISION,
    net_rx_bps           DOUBLE PRECISION,
    net_rx_bps_min       DOUBLE PRECISION,
    net_rx_bps_max       DOUBLE PRECISION,
    net_tx_bps           DOUBLE PRECISION,
    net_tx_bps_min       DOUBLE PRECISION,
    net_tx_bps_max       DOUBLE PRECISION,
    load1                DOUBLE PRECISION,
    load1_min            DOUBLE PRECISION,
    load1_max            DOUBLE PRECISION,
    load5                DOUBLE PRECISION,
    load5_min            DOUBLE PRECISION,
    load5_max            DOUBLE PRECISION,
    load15               DOUBLE PRECISION,
    load15_min           DOUBLE PRECISION,
    load15_max           DOUBLE PRECISION,
    peak_detail          BYTEA,
    PRIMARY KEY (server_id, ts)
);

-- The seed's "alerts": settings (rules) and history (events).
CREATE TABLE alert_rules (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    metric           TEXT NOT NULL,
    comparator       TEXT NOT NULL,
    warning          DOUBLE PRECISION,
    critical         DOUBLE PRECISION,
    warning_level    TEXT NOT NULL DEFAULT 'warning',
    critical_level   TEXT NOT NULL DEFAULT 'critical',
    duration_seconds INTEGER NOT NULL DEFAULT 0,
    recovery_margin  DOUBLE PRECISION,
    mount            TEXT,
    server_ids       TEXT,
    repeat_minutes   INTEGER,
    channel_ids      TEXT,
    enabled          BOOLEAN NOT NULL DEFAULT TRUE,
    muted_until      BIGINT,
    owner_id         TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at       BIGINT NOT NULL
);

CREATE TABLE alert_events (
    id          TEXT PRIMARY KEY,
    rule_id     TEXT NOT NULL,
    server_id   TEXT NOT NULL,
    metric      TEXT NOT NULL,
    mount       TEXT,
    level       TEXT NOT NULL,
    state       TEXT NOT NULL,
    value       DOUBLE PRECISION,
    threshold   DOUBLE PRECISION,
    started_at  BIGINT NOT NULL,
    resolved_at BIGINT,
    acked_by    TEXT,
    acked_at    BIGINT,
    notified_at BIGINT,
    evidence    TEXT
);
CREATE INDEX alert_events_started ON alert_events (started_at);
CREATE INDEX alert_events_server ON alert_events (server_id, started_at);

-- The hub's event log and the system logs of monitored servers.
CREATE TABLE logs (
    id        BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    ts        BIGINT NOT NULL,
    server_id TEXT,
    source    TEXT NOT NULL,
    level     TEXT NOT NULL,
    unit      TEXT,
    message   TEXT NOT NULL,
    actor     TEXT,
    target    TEXT
);
CREATE INDEX logs_ts ON logs (ts);
CREATE INDEX logs_server_ts ON logs (server_id, ts);
