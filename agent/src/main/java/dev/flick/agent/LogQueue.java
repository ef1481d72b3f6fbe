package dev.flick.agent;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * System-log lines (as their JSON) waiting for the hub, oldest first. Bounded by lines and by characters, so a log
 * flood costs a fixed amount of memory and cannot crowd out the snapshots: past either bound the oldest lines are
 * dropped and counted. Lines leave only when the hub acknowledges them.
 */
final class LogQueue {

    static final int DEFAULT_LINES = 10_000;
    static final int DEFAULT_CHARS = 2_000_000;

    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final int maxLines;
    private final int maxChars;
    private final Doorbell bell;
    private int chars;
    private long added;
    private long dropped;
    private long malformed;

    LogQueue(int maxLines, int maxChars, Doorbell bell) {
        this.maxLines = maxLines;
        this.maxChars = maxChars;
        this.bell = bell;
    }

    void add(String json) {
        boolean wasEmpty;
        synchronized (this) {
            wasEmpty = lines.isEmpty();
            lines.addLast(json);
            chars += json.length();
            added++;
            while (lines.size() > maxLines || (chars > maxChars && lines.size() > 1)) {
                chars -= lines.pollFirst().length();
                dropped++;
            }
        }
        // Only the first line wakes the link loop; while lines wait it paces itself by the rate, and waking it for
        // every line of a flood would only make it spin.
        if (wasEmpty) bell.ring();
    }

    /** A line the follower could not read: skipped, and counted. */
    synchronized void malformed() {
        malformed++;
    }

    /** Lines taken for one message: how many, and the sequence number just past the last (for the acknowledgement). */
    record Batch(int count, long end) {}

    /** Appends up to {@code max} of the oldest lines (and about {@code maxChars}) to {@code into}, comma-separated. */
    synchronized Batch oldest(int max, int maxChars, StringBuilder into) {
        int n = 0;
        int size = 0;
        for (Iterator<String> it = lines.iterator(); it.hasNext() && n < max; ) {
            String line = it.next();
            if (n > 0 && size + line.length() > maxChars) break;
            if (n > 0) into.append(',');
            into.append(line);
            size += line.length();
            n++;
        }
        return new Batch(n, head() + n);
    }

    /**
     * The hub has every line before sequence number {@code end}. By number, not by count: lines dropped while the
     * batch was on its way must not make the acknowledgement remove lines that were never sent.
     */
    synchronized void acknowledge(long end) {
        while (!lines.isEmpty() && head() < end) chars -= lines.pollFirst().length();
    }

    /** Sequence number of the oldest line kept (lines are numbered in the order added, from 0). */
    private long head() {
        return added - lines.size();
    }

    synchronized int size() {
        return lines.size();
    }

    synchronized long added() {
        return added;
    }

    synchronized long dropped() {
        return dropped;
    }

    synchronized long malformedCount() {
        return malformed;
    }
}
