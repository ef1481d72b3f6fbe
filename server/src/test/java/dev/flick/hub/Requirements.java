package dev.flick.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.Assumptions;

/**
 * Real parts the tests need. On a developer machine without them the tests are skipped with a reason;
 * in CI (CI=true) a missing part fails the run instead, so nothing is silently left untested.
 */
public final class Requirements {

    public static final String POSTGRES_URL = System.getenv().getOrDefault("FLICK_TEST_POSTGRES",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String POSTGRES_USER = System.getenv().getOrDefault("FLICK_TEST_POSTGRES_USER", "postgres");
    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("FLICK_CHROMIUM", "/usr/bin/chromium"));

    private Requirements() {}

    static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci);
    }

    public static void postgres() {
        try (Connection c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
            c.isValid(2);
        } catch (SQLException e) {
            missing("PostgreSQL at " + POSTGRES_URL + " (" + e.getMessage() + ")");
        }
    }

    public static void chromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            missing("Chromium at " + CHROMIUM + " (apt-get install -y chromium)");
        }
    }

    public static final Path PROMETHEUS = Path.of(System.getenv().getOrDefault("FLICK_PROMETHEUS", "/usr/bin/prometheus"));
    public static final Path NODE_EXPORTER = Path.of(System.getenv().getOrDefault("FLICK_NODE_EXPORTER",
            "/usr/bin/prometheus-node-exporter"));

    /** A Prometheus server binary (remote-write receiver). */
    public static void prometheusServer() {
        if (!Files.isExecutable(PROMETHEUS)) {
            missing("Prometheus at " + PROMETHEUS + " (apt-get install -y prometheus)");
        }
    }

    public static void nodeExporter() {
        if (!Files.isExecutable(NODE_EXPORTER)) {
            missing("node_exporter at " + NODE_EXPORTER + " (apt-get install -y prometheus-node-exporter)");
        }
    }

    public static final Path PROMTOOL = PROMETHEUS.resolveSibling("promtool");

    /** Prometheus and its promtool (Debian's prometheus package). */
    public static void prometheus() {
        if (!Files.isExecutable(PROMETHEUS) || !Files.isExecutable(PROMTOOL)) {
            missing("Prometheus at " + PROMETHEUS + " with promtool (apt-get install -y prometheus)");
        }
    }

    private static void missing(String what) {
        if (inCi()) {
            throw new IllegalStateException("CI requires " + what);
        }
        Assumptions.abort("Not available here: " + what);
    }
}
