package dev.flick.hub;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A throw-away schema in the test database, so every test class starts from an empty FLick. */
public final class PostgresSchema {

    private PostgresSchema() {}

    /**
     * Creates a fresh schema named with its creation time, first dropping those left over for more than an hour:
     * never one that another test run on this machine may still be using.
     */
    public static String create() {
        Requirements.postgres();
        long now = System.currentTimeMillis() / 1000;
        exec("""
                DO $$ DECLARE s text; BEGIN
                  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname ~ '^flick_t_[0-9]+_'
                           AND split_part(nspname, '_', 3)::bigint < %d LOOP
                    EXECUTE 'DROP SCHEMA ' || quote_ident(s) || ' CASCADE';
                  END LOOP;
                END $$""".formatted(now - 3_600));
        String schema = "flick_t_" + now + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        exec("CREATE SCHEMA " + schema);
        return schema;
    }

    public static String jdbcUrl(String schema) {
        String sep = Requirements.POSTGRES_URL.contains("?") ? "&" : "?";
        return Requirements.POSTGRES_URL + sep + "currentSchema=" + schema + "&user=" + Requirements.POSTGRES_USER;
    }

    public static void drop(String schema) {
        exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void exec(String sql) {
        try (Connection c = DriverManager.getConnection(Requirements.POSTGRES_URL, Requirements.POSTGRES_USER, "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
