package dev.flick.agent;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: a uniformly random wait between 0 and min(cap, base·2^attempt). A thousand
 * agents that lost the same hub therefore come back spread out instead of all at once.
 */
final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private int attempt;

    Backoff(long baseMillis, long capMillis) {
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
    }

    long nextDelayMillis() {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt, 20));
        attempt++;
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    /** The ceiling the next delay is drawn under. */
    long ceilingMillis() {
        return Math.min(capMillis, baseMillis << Math.min(attempt, 20));
    }

    void reset() {
        attempt = 0;
    }
}
