package dev.flick.hub.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.flick.collector.Snapshot;

/**
 * Prints what a stored minute costs: bytes per snapshot for the recorded host and the synthetic one, and encode /
 * decode times after warm-up. Run from the server module's test classpath:
 * {@code java -cp … dev.flick.hub.metrics.SnapshotBlockMeasure}.
 */
public final class SnapshotBlockMeasure {

    private SnapshotBlockMeasure() {}

    public static void main(String[] args) {
        List<Snapshot> recorded = SnapshotSamples.recorded();
        List<Snapshot> synthetic = SnapshotSamples.realistic(7, 600);
        System.out.printf("recorded:  %.1f B/snapshot over %d snapshots%n", bytesPerSnapshot(recorded), recorded.size());
        System.out.printf("synthetic: %.1f B/snapshot over %d snapshots%n", bytesPerSnapshot(synthetic), synthetic.size());
        for (List<Snapshot> data : List.of(recorded, synthetic)) {
            Times t = time(data.subList(0, 60), 3_000, 1_000);
            System.out.printf("60-snapshot block: encode %.3f ms, decode %.3f ms (median; p90 %.3f / %.3f)%n",
                    t.encodeMedian, t.decodeMedian, t.encodeP90, t.decodeP90);
        }
    }

    /** Average encoded bytes per snapshot over consecutive 60-snapshot blocks. */
    static double bytesPerSnapshot(List<Snapshot> snapshots) {
        long bytes = 0;
        for (List<Snapshot> block : minutes(snapshots)) bytes += SnapshotBlock.encode(block).length;
        return (double) bytes / snapshots.size();
    }

    static List<List<Snapshot>> minutes(List<Snapshot> snapshots) {
        List<List<Snapshot>> out = new ArrayList<>();
        for (int i = 0; i < snapshots.size(); i += 60) out.add(snapshots.subList(i, Math.min(snapshots.size(), i + 60)));
        return out;
    }

    record Times(double encodeMedian, double decodeMedian, double encodeP90, double decodeP90) {}

    static Times time(List<Snapshot> block, int warmup, int runs) {
        byte[] encoded = SnapshotBlock.encode(block);
        long sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += SnapshotBlock.encode(block).length;
            sink += SnapshotBlock.decode("s", encoded).size();
        }
        long[] enc = new long[runs];
        long[] dec = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            sink += SnapshotBlock.encode(block).length;
            long t1 = System.nanoTime();
            sink += SnapshotBlock.decode("s", encoded).size();
            long t2 = System.nanoTime();
            enc[i] = t1 - t0;
            dec[i] = t2 - t1;
        }
        if (sink == 42) System.out.println(); // keeps the work from being optimised away
        Arrays.sort(enc);
        Arrays.sort(dec);
        return new Times(enc[runs / 2] / 1e6, dec[runs / 2] / 1e6, enc[runs * 9 / 10] / 1e6, dec[runs * 9 / 10] / 1e6);
    }
}
