-- Raw history as one compressed block per server and minute (metrics.SnapshotBlock): metrics_snapshots now only holds
-- the minutes still open (and late arrivals), and the writer moves each closed minute into its block
-- (docs/storage.md). ts is the minute's start, last_ts its newest snapshot.
CREATE TABLE metrics_blocks (
    server_id TEXT NOT NULL,
    ts        BIGINT NOT NULL,
    last_ts   BIGINT NOT NULL,
    samples   INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (server_id, ts)
);
CREATE INDEX metrics_blocks_ts ON metrics_blocks (ts);

-- Per core, mount, disk device and interface: the rollups' accumulations (metrics.DetailSeries), so every series
-- the server page draws has history.
ALTER TABLE metrics_1m ADD COLUMN parts BLOB;
ALTER TABLE metrics_1h ADD COLUMN parts BLOB;
CREATE INDEX metrics_1m_ts ON metrics_1m (ts);
CREATE INDEX metrics_1h_ts ON metrics_1h (ts);

-- The raw rows of an older release are compacted like any closed minute: nothing is lost on upgrade.
INSERT INTO rollup_dirty (server_id, ts)
SELECT DISTINCT server_id, (ts / 60000) * 60000 FROM metrics_snapshots WHERE true
ON CONFLICT (server_id, ts) DO NOTHING;
