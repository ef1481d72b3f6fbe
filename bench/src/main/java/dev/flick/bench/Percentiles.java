package dev.flick.bench;

import java.util.Arrays;

/** Latencies in whole milliseconds, kept as a histogram so millions of samples cost nothing. */
final class Percentiles {

    private final long[] counts = new long[60_001];
    private long total;
    private long max;

    synchronized void add(long ms) {
        int bucket = (int) Math.max(0, Math.min(ms, counts.length - 1));
        counts[bucket]++;
        total++;
        max = Math.max(max, ms);
    }

    synchronized long at(double fraction) {
        long rank = (long) Math.ceil(total * fraction);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank && rank > 0) return i;
        }
        return max;
    }

    synchronized long count() {
        return total;
    }

    synchronized long max() {
        return max;
    }

    synchronized void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
