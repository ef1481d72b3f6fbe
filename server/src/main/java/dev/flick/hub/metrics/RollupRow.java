package dev.flick.hub.metrics;

/** One finished (or partial) rollup bucket, ready to be merged into its table. */
record RollupRow(Tier tier, String serverId, long ts, int samples, double[] avg, double[] min, double[] max,
                 String peakJson) {}
