package dev.flick.hub.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * libfaketime for a child JVM: the environment that makes its wall clock ({@code System.currentTimeMillis},
 * {@code Instant.now}) run at an offset from the machine's, while the monotonic clock ({@code System.nanoTime},
 * timed waits, sleeps) stays real, so the JVM's own timers and the agent's backoff behave.
 */
public final class Faketime {

    public static final Path LIBRARY = Path.of(System.getenv().getOrDefault("FLICK_LIBFAKETIME",
            "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"));

    private Faketime() {}

    /**
     * The environment for an offset in libfaketime's relative form: "+1h", "-2d", "+90s". A leading sign makes the
     * clock start at now + offset and then tick normally.
     */
    public static Map<String, String> environment(String offset) {
        if (!offset.startsWith("+") && !offset.startsWith("-")) {
            throw new IllegalArgumentException("a relative offset starts with + or -: " + offset);
        }
        return Map.of(
                "LD_PRELOAD", LIBRARY.toString(),
                "FAKETIME", offset,
                // The JVM times waits, parks and GC pauses with CLOCK_MONOTONIC: leave it alone.
                "FAKETIME_DONT_FAKE_MONOTONIC", "1");
    }

    /** Starts a JVM under the offset and returns how far its wall clock is from this JVM's, in ms. */
    static long probe(String offset) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder b = new ProcessBuilder(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                HubProcess.classPath(), ClockProbe.class.getName())).redirectErrorStream(true);
        b.environment().putAll(environment(offset));
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        // The child prints its clock as its last act: the end of its output is a few ms after that reading.
        long now = System.currentTimeMillis();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("the clock probe failed: " + out);
        }
        long child = Long.parseLong(out.lines().reduce((a, c) -> c).orElseThrow().strip());
        return child - now;
    }
}
