package dev.flick.hub.alerts;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Maintenance windows: between startsAt and endsAt nobody is told about alerts of a server and/or a rule
 * (neither given: every alert). Events are still recorded. The engine asks {@link #silenced} on the ingest
 * path, so the windows not yet over sit in an array that a check walks without allocating.
 */
@Component
class Silences {

    private final JdbcClient jdbc;
    private volatile Silence[] current = new Silence[0];

    Silences(JdbcClient jdbc) {
        this.jdbc = jdbc;
        reload();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Silence(String id, String serverId, String ruleId, long startsAt, long endsAt, String comment, String createdBy,
                   long createdAt) {

        boolean covers(String rule, String server, long ts) {
            return ts >= startsAt && ts < endsAt && (ruleId == null || ruleId.equals(rule)) && (serverId == null || serverId.equals(server));
        }
    }

    private static final RowMapper<Silence> ROW = (rs, n) -> new Silence(rs.getString("id"), rs.getString("server_id"),
            rs.getString("rule_id"), rs.getLong("starts_at"), rs.getLong("ends_at"), rs.getString("comment"), rs.getString("created_by"),
            rs.getLong("created_at"));

    /** Whether notifications about this rule on this server are held back at ts (the snapshot's time). The hot path. */
    boolean silenced(String ruleId, String serverId, long ts) {
        Silence[] all = current;
        for (Silence s : all) {
            if (s.covers(ruleId, serverId, ts)) return true;
        }
        return false;
    }

    Silence create(String serverId, String ruleId, long startsAt, long endsAt, String comment, String createdBy, long now) {
        String id = UUID.randomUUID().toString();
        jdbc.sql("""
                        INSERT INTO alert_silences (id, server_id, rule_id, starts_at, ends_at, comment, created_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, serverId, ruleId, startsAt, endsAt, comment, createdBy, now).update();
        reload();
        return find(id).orElseThrow();
    }

    Optional<Silence> find(String id) {
        return jdbc.sql("SELECT * FROM alert_silences WHERE id = ?").param(id).query(ROW).optional();
    }

    /** Silences that are not over at {@code now}: running and upcoming, soonest end first. */
    List<Silence> notOver(long now) {
        return jdbc.sql("SELECT * FROM alert_silences WHERE ends_at > ? ORDER BY ends_at, id").param(now).query(ROW).list();
    }

    boolean delete(String id) {
        boolean gone = jdbc.sql("DELETE FROM alert_silences WHERE id = ?").param(id).update() == 1;
        reload();
        return gone;
    }

    /**
     * Keeps windows that ended up to a day ago too: snapshots carry the agent's time, and one that arrives a little
     * late still falls in the window it was taken in. Rereads every minute, so deletes by cascade drop out.
     */
    @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
    void reload() {
        current = jdbc.sql("SELECT * FROM alert_silences WHERE ends_at > ?").param(System.currentTimeMillis() - 86_400_000L)
                .query(ROW).list().toArray(Silence[]::new);
    }
}
