-- FLick schema, sqlite. Times are epoch milliseconds (BIGINT) on every database so the SQL stays the same.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT,
    password_hash TEXT,
    role          TEXT NOT NULL,
    locale        TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
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
    credentials          BLOB,
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
    cpu              REAL,
    mem_used         BIGINT,
    mem_total        BIGINT,
    swap_used        BIGINT,
    swap_total       BIGINT,
    disk_used        BIGINT,
    disk_total       BIGINT,
    disk_read_bps    REAL,
    disk_write_bps   REAL,
    net_rx_bps       REAL,
    net_tx_bps       REAL,
    load1            REAL,
    load5            REAL,
    load15           REAL,
    process_count    INTEGER,
    detail           BLOB,
    PRIMARY KEY (server_id, ts)
);

-- Rollups: avg (plain name), min and max of every series per bucket; peak_detail: the snapshot (deflated JSON) at the bucket's CPU peak, for "which process at 03:12".
CREATE TABLE metrics_1m (
    server_id            TEXT NOT NULL,
    ts                   BIGINT NOT NULL,
    samples              INTEGER NOT NULL,
    cpu                  REAL,
    cpu_min              REAL,
    cpu_max              REAL,
    mem_used             REAL,
    mem_used_min         REAL,
    mem_used_max         REAL,
    mem_total            REAL,
    mem_total_min        REAL,
    mem_total_max        REAL,
    swap_used            REAL,
    swap_used_min        REAL,
    swap_used_max        REAL,
    swap_total           REAL,
    swap_total_min       REAL,
    swap_total_max       REAL,
    disk_used            REAL,
    disk_used_min        REAL,
    disk_used_max        REAL,
    disk_total           REAL,
    disk_total_min       REAL,
    disk_total_max       REAL,
    disk_read_bps        REAL,
    disk_read_bps_min    REAL,
    disk_read_bps_max    REAL,
    disk_write_bps       REAL,
    disk_write_bps_min   REAL,
    disk_write_bps_max   REAL,
    net_rx_bps           REAL,
    net_rx_bps_min       REAL,
    net_rx_bps_max       REAL,
    net_tx_bps           REAL,
    net_tx_bps_min       REAL,
    net_tx_bps_max       REAL,
    load1                REAL,
    load1_min            REAL,
    load1_max            REAL,
    load5                REAL,
    load5_min            REAL,
    load5_max            REAL,
    load15               REAL,
    load15_min           REAL,
    load15_max           REAL,
    peak_detail          BLOB,
    PRIMARY KEY (server_id, ts)
);

CREATE TABLE metrics_1h (
    server_id            TEXT NOT NULL,
    ts                   BIGINT NOT NULL,
    samples              INTEGER NOT NULL,
    cpu                  REAL,
    cpu_min              REAL,
    cpu_max              REAL,
    mem_used             REAL,
    mem_used_min         REAL,
    mem_used_max         REAL,
    mem_total            REAL,
    mem_total_min        REAL,
    mem_total_max        REAL,
    swap_used            REAL,
    swap_used_min        REAL,
    swap_used_max        REAL,
    swap_total           REAL,
    swap_total_min       REAL,
    swap_total_max       REAL,
    disk_used            REAL,
    disk_used_min        REAL,
    disk_used_max        REAL,
    disk_total           REAL,
    disk_total_min       REAL,
    disk_total_max       REAL,
    disk_read_bps        REAL,
    disk_read_bps_min    REAL,
    disk_read_bps_max    REAL,
    disk_write_bps       REAL,
    disk_write_bps_min   REAL,
    disk_write_bps_max   REAL,
    net_rx_bps           REAL,
    net_rx_bps_min       REAL,
    net_rx_bps_max       REAL,
    net_tx_bps           REAL,
    net_tx_bps_min       REAL,
    net_tx_bps_max       REAL,
    load1                REAL,
    load1_min            REAL,
    load1_max            REAL,
    load5                REAL,
    load5_min            REAL,
    load5_max            REAL,
    load15               REAL,
    load15_min           REAL,
    load15_max           REAL,
    peak_detail          BLOB,
    PRIMARY KEY (server_id, ts)
);

-- The seed's "alerts": settings (rules) and history (events).
CREATE TABLE alert_rules (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    metric           TEXT NOT NULL,
    comparator       TEXT NOT NULL,
    warning          REAL,
    critical         REAL,
    warning_level    TEXT NOT NULL DEFAULT 'warning',
    critical_level   TEXT NOT NULL DEFAULT 'critical',
    duration_seconds INTEGER NOT NULL DEFAULT 0,
    recovery_margin  REAL,
    mount            TEXT,
    server_ids       TEXT,
    repeat_minutes   INTEGER,
    channel_ids      TEXT,
    enabled          INTEGER NOT NULL DEFAULT 1,
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
    value       REAL,
    threshold   REAL,
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
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
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
