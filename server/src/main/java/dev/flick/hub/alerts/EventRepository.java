package dev.flick.hub.alerts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** alert_events: one row per level episode; evidence is the top processes as JSON. */
@Repository
class EventRepository {

    private static final String COLUMNS = "id, rule_id, rule_name, server_id, metric, mount, level, state, value, threshold, "
            + "started_at, resolved_at, acked_by, acked_at, notified_at, evidence";

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    EventRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(Change.Opened o) {
        String evidence = json.writeValueAsString(new AlertEvent.Evidence(o.evidence(), o.facts()));
        jdbc.sql("""
                        INSERT INTO alert_events (id, rule_id, rule_name, server_id, metric, mount, level, stage, state, value, threshold,
                                                  started_at, notified_at, evidence)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'firing', ?, ?, ?, ?, ?)""")
                .params(o.eventId(), o.rule().id(), o.rule().name(), o.serverId(), o.rule().metric(), o.mount(), o.level(), o.stage(),
                        finite(o.value()), finite(o.threshold()), o.ts(), o.tell() ? o.ts() : null, evidence)
                .update();
    }

    void resolve(String id, long ts) {
        jdbc.sql("UPDATE alert_events SET state = 'resolved', resolved_at = ? WHERE id = ? AND state = 'firing'").params(ts, id).update();
    }

    void notified(String id, long ts) {
        jdbc.sql("UPDATE alert_events SET notified_at = ? WHERE id = ?").params(ts, id).update();
    }

    boolean ack(String id, String userId, long ts) {
        return jdbc.sql("UPDATE alert_events SET acked_by = COALESCE(acked_by, ?), acked_at = COALESCE(acked_at, ?) WHERE id = ?")
                .params(userId, ts, id).update() > 0;
    }

    Optional<AlertEvent> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM alert_events WHERE id = ?").param(id).query(this::map).optional();
    }

    List<Alerts.Open> open() {
        return jdbc.sql("SELECT rule_id, rule_name, server_id, metric, mount, level, started_at FROM alert_events WHERE state = 'firing'")
                .query((rs, n) -> new Alerts.Open(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getLong(7)))
                .list();
    }

    List<AlertEngine.Firing> firing() {
        return jdbc.sql("SELECT id, rule_id, server_id, mount, stage, started_at, notified_at FROM alert_events WHERE state = 'firing'")
                .query((rs, n) -> new AlertEngine.Firing(rs.getString("rule_id"), rs.getString("id"), rs.getString("server_id"),
                        rs.getString("mount"), rs.getObject("stage") == null ? 1 : rs.getInt("stage"), rs.getLong("started_at"),
                        Columns.longOrNull(rs, "notified_at")))
                .list();
    }

    record Filter(String state, String severity, String serverId, String ruleId, long from, long to, int limit) {}

    List<AlertEvent> find(Filter f) {
        return find(f, null);
    }

    /** onlyServers: when not null, only events of these servers (what a non-admin may see). */
    List<AlertEvent> find(Filter f, java.util.Set<String> onlyServers) {
        if (onlyServers != null && onlyServers.isEmpty()) return List.of();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alert_events WHERE started_at <= ? AND (resolved_at IS NULL OR resolved_at >= ?)");
        List<Object> params = new ArrayList<>(List.of(f.to(), f.from()));
        if (f.state() != null) {
            sql.append(" AND state = ?");
            params.add(f.state());
        }
        if (f.severity() != null) {
            sql.append(" AND level = ?");
            params.add(f.severity());
        }
        if (onlyServers != null) {
            sql.append(" AND server_id IN (").append("?, ".repeat(onlyServers.size() - 1)).append("?)");
            params.addAll(onlyServers);
        }
        if (f.serverId() != null) {
            sql.append(" AND server_id = ?");
            params.add(f.serverId());
        }
        if (f.ruleId() != null) {
            sql.append(" AND rule_id = ?");
            params.add(f.ruleId());
        }
        sql.append(" ORDER BY started_at DESC, id LIMIT ?");
        params.add(f.limit());
        return jdbc.sql(sql.toString()).params(params).query(this::map).list();
    }

    private AlertEvent map(ResultSet rs, int row) throws SQLException {
        String evidence = rs.getString("evidence");
        return new AlertEvent(rs.getString("id"), rs.getString("rule_id"), rs.getString("rule_name"), rs.getString("server_id"),
                rs.getString("metric"), rs.getString("mount"), rs.getString("level"), rs.getString("state"),
                Columns.doubleOrNull(rs, "value"), Columns.doubleOrNull(rs, "threshold"), rs.getLong("started_at"),
                Columns.longOrNull(rs, "resolved_at"), rs.getString("acked_by"), Columns.longOrNull(rs, "acked_at"),
                Columns.longOrNull(rs, "notified_at"),
                evidence == null ? new AlertEvent.Evidence(List.of(), List.of()) : json.readValue(evidence, AlertEvent.Evidence.class));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
