package dev.flick.hub.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.flick.hub.Requirements;

import org.junit.jupiter.api.Assumptions;

/**
 * What the fault tests need beyond {@link Requirements}: libfaketime that really shifts a JVM's clock, and the right to
 * mount a tmpfs. As there, a developer machine without them skips with a reason; in CI (CI=true) they fail.
 */
final class FaultRequirements {

    private FaultRequirements() {}

    static void postgres() {
        Requirements.postgres();
    }

    /** libfaketime is installed and a JVM started under it sees a clock one hour ahead. */
    static void faketime() {
        if (!Files.isRegularFile(Faketime.LIBRARY)) {
            missing("libfaketime at " + Faketime.LIBRARY + " (apt-get install -y faketime)");
            return;
        }
        try {
            long offset = Faketime.probe("+1h");
            if (Math.abs(offset - 3_600_000) > 60_000) {
                missing("libfaketime that shifts a JVM's clock (FAKETIME=+1h gave an offset of " + offset + " ms)");
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            missing("libfaketime that shifts a JVM's clock (" + e + ")");
        }
    }

    /** Mounts a tiny tmpfs to find out whether this process may (root with CAP_SYS_ADMIN, not in a locked container). */
    static void tmpfs() {
        try {
            Path dir = Files.createTempDirectory("flick-tmpfs-probe");
            String failure = Tmpfs.tryMount(dir, 1);
            if (failure == null) Tmpfs.unmount(dir);
            Files.deleteIfExists(dir);
            if (failure != null) missing("mount -t tmpfs (" + failure + ")");
        } catch (IOException | InterruptedException e) {
            missing("mount -t tmpfs (" + e + ")");
        }
    }

    static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci);
    }

    private static void missing(String what) {
        if (inCi()) throw new IllegalStateException("CI requires " + what);
        Assumptions.abort("Not available here: " + what);
    }
}
