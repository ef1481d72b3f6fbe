package dev.flick.hub.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the data lives: the embedded SQLite file by default, PostgreSQL when DATABASE_URL says so.
 * Accepts the seed's {@code postgresql://user:pass@host:port/db} form as well as a plain JDBC URL.
 */
public record Database(Dialect dialect, String jdbcUrl, String username, String password) {

    public enum Dialect { SQLITE, POSTGRESQL }

    public static Database from(String databaseUrl, Path dataDir) {
        if (databaseUrl == null || databaseUrl.isBlank()) {
            Path file = dataDir.resolve("flick.db");
            return sqlite("jdbc:sqlite:" + file);
        }
        String url = databaseUrl.trim();
        if (url.startsWith("jdbc:sqlite:")) {
            return sqlite(url);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new Database(Dialect.POSTGRESQL, url, null, null);
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            return fromPostgresUri(URI.create(url));
        }
        throw new IllegalArgumentException(
                "DATABASE_URL must start with postgresql://, postgres://, jdbc:postgresql: or jdbc:sqlite: (got scheme of "
                        + url.substring(0, Math.min(url.indexOf(':') + 1, 20)) + ")");
    }

    private static Database sqlite(String url) {
        // WAL lets the API read while the batch writer writes; NORMAL sync is safe with WAL and much cheaper.
        // Transactions begin IMMEDIATE: one that read first and then writes would otherwise fail at once with
        // SQLITE_BUSY when the writer committed in between (no busy wait for that upgrade); now it waits its turn.
        String sep = url.contains("?") ? "&" : "?";
        return new Database(Dialect.SQLITE,
                url + sep + "journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=true&transaction_mode=IMMEDIATE",
                null, null);
    }

    private static Database fromPostgresUri(URI uri) {
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new Database(Dialect.POSTGRESQL, "jdbc:postgresql://" + host + ":" + port + path + query, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The SQLite file this points at (null for PostgreSQL or an in-memory database). */
    public java.nio.file.Path sqliteFile() {
        if (dialect != Dialect.SQLITE) return null;
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        if (path.startsWith("file:")) path = path.substring("file:".length());
        if (path.isEmpty() || path.equals(":memory:") || path.startsWith(":resource:")) return null;
        return java.nio.file.Path.of(path);
    }

    /** SQL for the smaller of two values: SQLite's scalar min() is PostgreSQL's LEAST(). */
    public String least(String a, String b) {
        return (dialect == Dialect.SQLITE ? "min(" : "LEAST(") + a + ", " + b + ")";
    }

    public String greatest(String a, String b) {
        return (dialect == Dialect.SQLITE ? "max(" : "GREATEST(") + a + ", " + b + ")";
    }

    /** The JDBC URL without credentials, for log lines. */
    public String describe() {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        return dialect == Dialect.SQLITE ? "SQLite " + base.substring("jdbc:sqlite:".length()) : "PostgreSQL " + base;
    }
}
