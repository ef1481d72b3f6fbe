package dev.flick.hub.config;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;

/**
 * A configuration the hub cannot use stops it with one block — what is wrong, which variable, how to fix it —
 * instead of a stack trace with the one useful sentence in its middle. Registered in META-INF/spring.factories;
 * ahead of Boot's own analyzers so the port block names PORT.
 */
public class UnusableConfiguration implements FailureAnalyzer, Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        // Innermost first: Spring's wrapping exceptions repeat every nested message in their own.
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) chain.add(t);
        for (int i = chain.size() - 1; i >= 0; i--) {
            FailureAnalysis a = explain(chain.get(i), failure);
            if (a != null) return a;
        }
        return null;
    }

    private static FailureAnalysis explain(Throwable t, Throwable failure) {
        String m = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof PortInUseException p) {
            return new FailureAnalysis("Port " + p.getPort() + " is already in use by another program (PORT).",
                    "Stop the other program, or start FLick on a free port: PORT=8081 (HOST chooses the address).", failure);
        }
        if (m.startsWith("JWT_SECRET must be at least 32 bytes")) {
            return new FailureAnalysis(m + ": a short secret lets anyone who guesses it sign access tokens.",
                    "Set JWT_SECRET to 32 or more random bytes, e.g. JWT_SECRET=$(openssl rand -base64 32), "
                            + "or remove it and FLick generates one into the data directory.", failure);
        }
        if (m.contains("is not valid base64") || m.contains("must decode to 32 bytes for AES-256")) {
            String variable = m.substring(0, Math.max(0, m.indexOf(' ')));
            return new FailureAnalysis(m + ".",
                    "Set " + variable + " to a base64-encoded 32-byte key, e.g. " + variable + "=$(openssl rand -base64 32), "
                            + "or remove it and FLick generates one into the data directory. Keep the old key in "
                            + "ENCRYPTION_KEYS_OLD if values were sealed with it.", failure);
        }
        if (m.startsWith("DATABASE_URL must start with")) {
            return new FailureAnalysis(m + ".",
                    "Set DATABASE_URL=postgresql://user:password@host:5432/flick, or leave it empty for the embedded "
                            + "SQLite database in the data directory.", failure);
        }
        if (m.startsWith("FLICK_TRUSTED_PROXIES:")) {
            return new FailureAnalysis(m + ".",
                    "List the addresses or CIDR blocks of your reverse proxies, e.g. FLICK_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8, "
                            + "or leave it empty to trust none.", failure);
        }
        if (t instanceof DataDir.DataDirUnwritable u) {
            return new FailureAnalysis("The data directory " + u.path() + " is not writable by this user (FLICK_DATA_DIR).",
                    dataDirAction(), failure);
        }
        if (m.startsWith("Cannot create the data directory") || (t instanceof AccessDeniedException && m.contains("flick"))) {
            return new FailureAnalysis(m + " (FLICK_DATA_DIR).", dataDirAction(), failure);
        }
        if (m.startsWith("Failed to initialize pool") || m.contains("Connection to ") && m.contains("refused")
                || t instanceof ConnectException || t instanceof UnknownHostException) {
            if (mentionsDatabase(failure)) {
                return new FailureAnalysis("The database in DATABASE_URL cannot be reached: " + firstLine(m),
                        "Check the host, port, user and password in DATABASE_URL and that PostgreSQL is running, "
                                + "or leave DATABASE_URL empty for the embedded SQLite database.", failure);
            }
        }
        return null;
    }

    private static boolean mentionsDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            String m = String.valueOf(t.getMessage());
            if (name.startsWith("org.postgresql") || name.startsWith("java.sql") || name.startsWith("org.flywaydb")
                    || name.contains("Hikari") || m.contains("dataSource") || m.contains("flyway")) return true;
        }
        return false;
    }

    private static String dataDirAction() {
        return "Point FLICK_DATA_DIR at a directory this user may write (it is created when missing), "
                + "or give this user ownership of it: sudo chown -R $(id -un) <dir>.";
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
