package dev.flick.agent;

/**
 * A token bucket for log lines: {@code perSecond} tokens a second, holding at most one second's worth, so lines
 * leave at a steady rate however fast they are written. Used by the link loop's thread only.
 */
final class LogRate {

    private final int perSecond;
    private double tokens;
    private long refilledAt = System.nanoTime();

    LogRate(int perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
    }

    /** Whole lines that may leave now. */
    int available() {
        refill();
        return (int) tokens;
    }

    /** Milliseconds until {@code lines} may leave (0: now). */
    long millisUntil(int lines) {
        refill();
        double missing = Math.min(lines, perSecond) - tokens;
        return missing <= 0 ? 0 : Math.max(1, (long) Math.ceil(missing * 1000 / perSecond));
    }

    void take(int lines) {
        tokens -= lines;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1e9);
        refilledAt = now;
    }
}
