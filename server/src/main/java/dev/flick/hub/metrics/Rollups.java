package dev.flick.hub.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.flick.collector.Snapshot;

/**
 * Keeps the 1-minute and 1-hour buckets of every server in memory as snapshots arrive, so a 24 h chart reads
 * 1,440 rows instead of 86,400. A bucket is handed to the writer shortly after it ends; the writer merges it
 * into its row (count-weighted average, min of mins, max of maxes), so partial buckets from a restart, a pause
 * or a late back-fill add up to the same numbers as one full bucket would.
 */
final class Rollups {

    static final Tier[] TIERS = {Tier.MINUTE, Tier.HOUR};

    private final Map<String, Map<Long, Bucket>[]> open = new ConcurrentHashMap<>();
    private final long graceMillis;

    Rollups(long graceMillis) {
        this.graceMillis = graceMillis;
    }

    void add(Snapshot s, String json) {
        Map<Long, Bucket>[] perTier = open.computeIfAbsent(s.serverId(), id -> newTierMaps());
        synchronized (perTier) {
            for (int t = 0; t < TIERS.length; t++) {
                long start = TIERS[t].bucketOf(s.ts());
                perTier[t].computeIfAbsent(start, k -> new Bucket()).add(s, json);
            }
        }
    }

    /** Removes and returns every bucket that ended more than the grace period before {@code now} (or all, when flushing). */
    List<RollupRow> due(long now, boolean all) {
        List<RollupRow> rows = new ArrayList<>();
        for (Map.Entry<String, Map<Long, Bucket>[]> e : open.entrySet()) {
            Map<Long, Bucket>[] perTier = e.getValue();
            synchronized (perTier) {
                for (int t = 0; t < TIERS.length; t++) {
                    Tier tier = TIERS[t];
                    Iterator<Map.Entry<Long, Bucket>> it = perTier[t].entrySet().iterator();
                    while (it.hasNext()) {
                        Map.Entry<Long, Bucket> b = it.next();
                        if (all || b.getKey() + tier.bucketMillis + graceMillis <= now) {
                            rows.add(b.getValue().toRow(tier, e.getKey(), b.getKey()));
                            it.remove();
                        }
                    }
                }
            }
        }
        return rows;
    }

    void forget(String serverId) {
        open.remove(serverId);
    }

    @SuppressWarnings("unchecked")
    private static Map<Long, Bucket>[] newTierMaps() {
        Map<Long, Bucket>[] maps = new Map[TIERS.length];
        for (int i = 0; i < maps.length; i++) maps[i] = new HashMap<>(4);
        return maps;
    }

    private static final class Bucket {
        private final double[] sum = new double[Series.ALL.length];
        private final double[] min = new double[Series.ALL.length];
        private final double[] max = new double[Series.ALL.length];
        private int samples;
        private double peakCpu = Double.NEGATIVE_INFINITY;
        private String peakJson;

        void add(Snapshot s, String json) {
            for (int i = 0; i < Series.ALL.length; i++) {
                double v = Series.ALL[i].of(s);
                sum[i] += v;
                min[i] = samples == 0 ? v : Math.min(min[i], v);
                max[i] = samples == 0 ? v : Math.max(max[i], v);
            }
            samples++;
            if (s.cpu().usage() > peakCpu) {
                peakCpu = s.cpu().usage();
                peakJson = json;
            }
        }

        RollupRow toRow(Tier tier, String serverId, long start) {
            double[] avg = new double[sum.length];
            for (int i = 0; i < sum.length; i++) avg[i] = sum[i] / samples;
            return new RollupRow(tier, serverId, start, samples, avg, min.clone(), max.clone(), peakJson);
        }
    }
}
