package dev.flick.collector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Recorded and hand-made /proc text under src/test/resources/proc. */
final class Fixtures {

    /** The nonce the hand-made fixtures were written with. */
    static final String SMALL_NONCE = "f1x7ur3";
    /** The nonce the recorded Debian samples were taken with. */
    static final String RECORDED_NONCE = "fixture";

    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/proc/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ProcSample small(int n) {
        return new ProcSampleParser(SMALL_NONCE).parse(text("small-" + n + ".txt"), 1_700_000_000_000L + n * 2000L);
    }

    /** The hand-made pair: exactly 2.00 s apart by the target's uptime. */
    static Snapshot smallSecond() {
        ProcSnapshotCalculator calculator = new ProcSnapshotCalculator("srv");
        calculator.next(small(1));
        return calculator.next(small(2));
    }
}
