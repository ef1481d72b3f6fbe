package dev.flick.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshots the hub has not acknowledged yet, oldest first. Bounded: when the hub stays away longer than the buffer
 * lasts, the oldest are dropped (and counted) so memory stays flat. Entries leave only when the hub acknowledges
 * them, so a hub that dies mid-batch gets the batch again on reconnect: history keeps no gap.
 */
final class Outbox {

    record Entry(long ts, String json) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final int capacity;
    private long dropped;

    Outbox(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("buffer must hold at least one snapshot");
        this.capacity = capacity;
    }

    synchronized void add(long ts, String json) {
        if (entries.size() == capacity) {
            entries.pollFirst();
            dropped++;
        }
        entries.addLast(new Entry(ts, json));
        notifyAll();
    }

    /** Waits up to {@code millis} for something to send. */
    synchronized boolean awaitAny(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (entries.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    /** The oldest entries, at most {@code max} of them and about {@code maxChars} of JSON (always at least one). */
    synchronized List<Entry> oldest(int max, int maxChars) {
        List<Entry> out = new ArrayList<>(Math.min(max, entries.size()));
        int chars = 0;
        for (Entry e : entries) {
            if (out.size() == max || (!out.isEmpty() && chars + e.json().length() > maxChars)) break;
            out.add(e);
            chars += e.json().length();
        }
        return out;
    }

    /** Forgets everything up to and including {@code ts}: the hub has it. */
    synchronized void acknowledge(long ts) {
        while (!entries.isEmpty() && entries.peekFirst().ts() <= ts) entries.pollFirst();
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long dropped() {
        return dropped;
    }
}
