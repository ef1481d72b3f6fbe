package dev.flick.hub.config;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Run-time settings an admin changes through the API, one JSON document per key. */
@Component
public class SettingsStore {

    private final JdbcClient jdbc;

    SettingsStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<String> get(String key) {
        return jdbc.sql("SELECT value FROM settings WHERE key = ?").param(key).query(String.class).optional();
    }

    public void put(String key, String json, String actor) {
        jdbc.sql("""
                        INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
                            updated_by = excluded.updated_by""")
                .params(key, json, System.currentTimeMillis(), actor).update();
    }
}
