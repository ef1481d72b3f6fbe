package dev.flick.agent;

/**
 * Wakes the link loop when there is something to send: a snapshot in the {@link Outbox} or lines in the
 * {@link LogQueue}. A ring before anyone waits is kept, so a wake-up between "nothing to do" and the wait is not lost.
 */
final class Doorbell {

    private boolean rung;

    synchronized void ring() {
        rung = true;
        notifyAll();
    }

    /** Waits up to {@code millis} for a ring; true when one came (and clears it). */
    synchronized boolean await(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!rung) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        rung = false;
        return true;
    }
}
