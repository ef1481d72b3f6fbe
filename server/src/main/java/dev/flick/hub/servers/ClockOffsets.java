package dev.flick.hub.servers;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Each agent's measured clock offset (agent minus hub, ms), kept in memory for the socket that applies it and the API
 * that shows it, and written to {@code servers.clock_offset_ms} in the background: the agent's socket never waits for
 * the database. The stored value is where a reconnecting agent starts, so a resent batch lands on the same rows.
 */
@Component
class ClockOffsets {

    private static final Logger log = LoggerFactory.getLogger(ClockOffsets.class);

    private final JdbcClient jdbc;
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();
    private final Map<String, Long> unsaved = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    private volatile boolean saveFailing;

    ClockOffsets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    OptionalLong of(String serverId) {
        load();
        Long v = offsets.get(serverId);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    void record(String serverId, long offsetMillis) {
        Long before = offsets.put(serverId, offsetMillis);
        if (before == null || before != offsetMillis) unsaved.put(serverId, offsetMillis);
    }

    void forget(String serverId) {
        offsets.remove(serverId);
        unsaved.remove(serverId);
    }

    private void load() {
        if (loaded) return;
        synchronized (this) {
            if (loaded) return;
            try {
                jdbc.sql("SELECT id, clock_offset_ms FROM servers WHERE clock_offset_ms IS NOT NULL")
                        .query((rs, n) -> offsets.putIfAbsent(rs.getString(1), rs.getLong(2))).list();
                loaded = true;
            } catch (RuntimeException e) {
                log.debug("Clock offsets not loaded yet: {}", e.getMessage());
            }
        }
    }

    @Scheduled(fixedDelay = 5_000)
    void save() {
        for (var e : Map.copyOf(unsaved).entrySet()) {
            try {
                jdbc.sql("UPDATE servers SET clock_offset_ms = ? WHERE id = ?").params(e.getValue(), e.getKey()).update();
                unsaved.remove(e.getKey(), e.getValue());
                saveFailing = false;
            } catch (RuntimeException ex) {
                if (!saveFailing) log.warn("Clock offsets not saved yet (retried): {}", ex.getMessage());
                saveFailing = true;
                return;
            }
        }
    }
}
