package dev.flick.hub.faults;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for a condition with a deadline (Awaitility) and, when it never holds, says what the processes printed. */
final class Eventually {

    private Eventually() {}

    static void until(String what, Duration timeout, Callable<Boolean> condition, Supplier<String> diagnostics) {
        try {
            Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsMatching(e -> !(e instanceof Gone))
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                    + "\n" + diagnostics.get(), e);
        }
    }

    /** Like {@link #until} but says whether the condition held instead of failing: the assertions after it explain. */
    static boolean holdsWithin(Duration timeout, Callable<Boolean> condition) {
        try {
            Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsMatching(e -> !(e instanceof Gone)).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Thrown by a condition whose process died: waiting longer cannot help, so the wait ends at once. */
    static final class Gone extends RuntimeException {
        Gone(String message) {
            super(message);
        }
    }

    /** Holds a fault for its planned length: the length is the test's subject, not a guess at how long work takes. */
    static void hold(Duration length) throws InterruptedException {
        Thread.sleep(length);
    }
}
