-- Minutes with raw rows not rolled up yet, marked in the same transaction as the rows: after a crash every one of them
-- is recomputed from the raw rows that exist (docs/durability.md).
CREATE TABLE rollup_dirty (
    server_id TEXT NOT NULL,
    ts        BIGINT NOT NULL,
    PRIMARY KEY (server_id, ts)
);

-- The agent's measured clock offset (agent minus hub, ms): snapshots are stored at ts minus this.
ALTER TABLE servers ADD COLUMN clock_offset_ms BIGINT;
