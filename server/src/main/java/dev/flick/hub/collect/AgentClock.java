package dev.flick.hub.collect;

/**
 * An agent's clock offset, measured NTP-style from probes: the hub sends its time {@code h}, the agent answers with its
 * own time when the probe arrived ({@code a1}) and when it replied ({@code a2}), the hub notes when the answer came
 * back ({@code t}). Offset {@code ((a1 - h) + (a2 - t)) / 2}, round trip {@code (t - h) - (a2 - a1)}; of the last few
 * probes the one with the shortest round trip is trusted, since queueing only ever adds delay.
 */
final class AgentClock {

    /** Offsets within this of the applied one, or of zero, are not worth moving rows for. */
    static final long TOLERANCE_MS = 250;
    private static final int KEPT = 8;

    private final long[] offsets = new long[KEPT];
    private final long[] trips = new long[KEPT];
    private int count;

    synchronized void add(long h, long a1, long a2, long t) {
        int at = count % KEPT;
        offsets[at] = Math.floorDiv((a1 - h) + (a2 - t), 2);
        trips[at] = Math.max(0, (t - h) - (a2 - a1));
        count++;
    }

    synchronized boolean measured() {
        return count > 0;
    }

    /** The offset of the probe with the shortest round trip among the last few. */
    synchronized long bestOffset() {
        int n = Math.min(count, KEPT);
        int best = 0;
        for (int i = 1; i < n; i++) if (trips[i] < trips[best]) best = i;
        return offsets[best];
    }

    synchronized long bestRoundTrip() {
        int n = Math.min(count, KEPT);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) best = Math.min(best, trips[i]);
        return best;
    }

    /**
     * The offset to apply next: zero for a clock within the tolerance of the hub's, else the measurement, but only once
     * it strays past the tolerance from what is applied, so a batch resent after a reconnect lands on the same rows.
     */
    static long sticky(long applied, long measured) {
        long target = Math.abs(measured) <= TOLERANCE_MS ? 0 : measured;
        return Math.abs(target - applied) > TOLERANCE_MS ? target : applied;
    }
}
