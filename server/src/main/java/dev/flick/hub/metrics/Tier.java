package dev.flick.hub.metrics;

/** A resolution of stored history. Raw is one block per server and minute (plus the open minutes' rows); the rollups one row per bucket. */
enum Tier {
    RAW("raw", "metrics_blocks", 0),
    MINUTE("1m", "metrics_1m", 60_000),
    HOUR("1h", "metrics_1h", 3_600_000);

    final String id;
    final String table;
    final long bucketMillis;

    Tier(String id, String table, long bucketMillis) {
        this.id = id;
        this.table = table;
        this.bucketMillis = bucketMillis;
    }

    long bucketOf(long ts) {
        return Math.floorDiv(ts, bucketMillis) * bucketMillis;
    }
}
