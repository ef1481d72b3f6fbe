package dev.flick.bench;

/** Does nothing, forever: what a JVM with the agent's flags costs before any work of its own (bench/jvm-floor.sh). */
public final class Idle {

    private Idle() {}

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
