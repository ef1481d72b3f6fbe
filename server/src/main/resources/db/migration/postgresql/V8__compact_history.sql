-- Raw history as one compressed block per server and minute (metrics.SnapshotBlock): metrics_snapshots now only holds
-- the minutes still open (and late arrivals), and the writer moves each closed minute into its block
-- (docs/storage.md). ts is the minute's start, last_ts its newest snapshot.
--
-- Where TimescaleDB is loaded the metrics tables stay plain here and metrics.Timescale makes them hypertables, whose
-- chunks its retention policies drop. Elsewhere they become native range partitions on ts, created ahead by
-- metrics.Partitions, and retention drops whole partitions. The rollup tables of an older release are kept as they
-- are: each becomes the partition of everything before the next boundary, so no row is copied and none is lost.
DO $$
DECLARE
    timescale boolean := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
        OR (EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
            AND current_setting('shared_preload_libraries', true) LIKE '%timescaledb%');
    now_ms bigint := (extract(epoch FROM now()) * 1000)::bigint;
    t text;
    width bigint;
    bound bigint;
BEGIN
    IF timescale THEN
        CREATE TABLE metrics_blocks (
            server_id TEXT NOT NULL,
            ts        BIGINT NOT NULL,
            last_ts   BIGINT NOT NULL,
            samples   INTEGER NOT NULL,
            data      BYTEA NOT NULL,
            PRIMARY KEY (server_id, ts)
        );
    ELSE
        CREATE TABLE metrics_blocks (
            server_id TEXT NOT NULL,
            ts        BIGINT NOT NULL,
            last_ts   BIGINT NOT NULL,
            samples   INTEGER NOT NULL,
            data      BYTEA NOT NULL,
            PRIMARY KEY (server_id, ts)
        ) PARTITION BY RANGE (ts);
        -- metrics.Partitions.WIDTH: a week of minutes, a month (30 days) of hours.
        FOR t, width IN SELECT * FROM (VALUES ('metrics_1m', 604800000::bigint), ('metrics_1h', 2592000000::bigint)) v LOOP
            EXECUTE format('ALTER TABLE %I RENAME TO %I', t, t || '_before_v8');
            EXECUTE format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', t || '_before_v8', t || '_pkey', t || '_before_v8_pkey');
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS) PARTITION BY RANGE (ts)', t, t || '_before_v8');
            EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (server_id, ts)', t);
            EXECUTE format('SELECT (max(ts) / %s + 1) * %s FROM %I', width, width, t || '_before_v8') INTO bound;
            IF bound IS NOT NULL THEN
                bound := greatest((now_ms / width + 1) * width, bound);
            END IF;
            IF bound IS NULL THEN -- a new database: no rows to keep
                EXECUTE format('DROP TABLE %I', t || '_before_v8');
            ELSE
                EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%s)', t, t || '_before_v8', bound);
            END IF;
        END LOOP;
    END IF;
END $$;

-- Stored zstd frames gain nothing from pglz: keep them out of line uncompressed.
ALTER TABLE metrics_blocks ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX metrics_blocks_ts ON metrics_blocks (ts);

-- Per core, mount, disk device and interface: the rollups' accumulations (metrics.DetailSeries), so every series
-- the server page draws has history.
ALTER TABLE metrics_1m ADD COLUMN parts BYTEA;
ALTER TABLE metrics_1h ADD COLUMN parts BYTEA;
CREATE INDEX metrics_1m_ts ON metrics_1m (ts);
CREATE INDEX metrics_1h_ts ON metrics_1h (ts);

-- The raw rows of an older release are compacted like any closed minute: nothing is lost on upgrade.
INSERT INTO rollup_dirty (server_id, ts)
SELECT DISTINCT server_id, (ts / 60000) * 60000 FROM metrics_snapshots
ON CONFLICT (server_id, ts) DO NOTHING;
