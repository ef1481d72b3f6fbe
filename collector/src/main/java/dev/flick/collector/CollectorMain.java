package dev.flick.collector;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples this machine on a fixed beat, forever or {@code --count} times, printing one JSON snapshot per line with
 * {@code --print}. The benchmark runs it to measure what collecting alone costs.
 *
 * <pre>java -cp … dev.flick.collector.CollectorMain --interval 1s [--count N] [--print] [--host-info]</pre>
 */
public final class CollectorMain {

    private CollectorMain() {}

    public static void main(String[] args) {
        Duration interval = Duration.ofSeconds(1);
        long count = Long.MAX_VALUE;
        boolean print = false, hostInfo = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--interval" -> interval = parseDuration(value(args, ++i, "--interval"));
                case "--count" -> count = Long.parseLong(value(args, ++i, "--count"));
                case "--print" -> print = true;
                case "--host-info" -> hostInfo = true;
                default -> usage("unknown argument: " + args[i]);
            }
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (OshiCollector collector = new OshiCollector()) {
            if (hostInfo) {
                out.println(SnapshotJson.write(collector.hostInfo()));
                out.flush();
            }
            long period = interval.toNanos();
            // A fixed beat from the start, not sleep-after-work, so the interval does not drift by each sample's cost.
            long next = System.nanoTime() + period;
            for (long i = 0; i < count; i++) {
                long wait;
                while ((wait = next - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                next += period;
                Snapshot snapshot = collector.sample();
                if (print) {
                    out.println(SnapshotJson.write(snapshot));
                    out.flush();
                }
            }
        }
    }

    /** 1s, 500ms, 2m, or a bare number of seconds. */
    static Duration parseDuration(String text) {
        try {
            if (text.endsWith("ms")) return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            if (text.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            if (text.endsWith("m")) return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
        } catch (NumberFormatException e) {
            usage("not a duration: " + text);
            return null;
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) usage(flag + " needs a value");
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: CollectorMain [--interval 1s] [--count N] [--print] [--host-info]");
        System.exit(2);
    }
}
