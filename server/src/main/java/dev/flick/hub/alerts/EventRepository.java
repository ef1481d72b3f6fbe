package dev.flick.hub.alerts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** alert_events: one row per incident (rule × server × mount); evidence is the top processes, history the level changes, as JSON. */
@Repository
class EventRepository {

    private static final String COLUMNS = "id, rule_id, rule_name, server_id, metric, mount, level, state, value, threshold, "
            + "started_at, resolved_at, acked_by, acked_at, notified_at, evidence, peak_level, reopens, history";
    /** An incident flapping all day keeps its first steps and its latest ones. */
    static final int HISTORY_MAX = 50;
    private static final tools.jackson.core.type.TypeReference<List<AlertEvent.Step>> STEPS = new tools.jackson.core.type.TypeReference<>() {};

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    EventRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(Change.Opened o) {
        String evidence = json.writeValueAsString(new AlertEvent.Evidence(o.evidence(), o.facts()));
        String history = json.writeValueAsString(List.of(new AlertEvent.Step(o.ts(), o.level(), finite(o.value()))));
        // One open incident per rule × server × mount (a unique index says so): one the engine no longer knows ends here.
        jdbc.sql("""
                        UPDATE alert_events SET state = 'resolved', resolved_at = ?
                        WHERE rule_id = ? AND server_id = ? AND COALESCE(mount, '') = COALESCE(?, '') AND state = 'firing'""")
                .params(o.ts(), o.rule().id(), o.serverId(), o.mount() == null ? "" : o.mount()).update();
        jdbc.sql("""
                        INSERT INTO alert_events (id, rule_id, rule_name, server_id, metric, mount, level, stage, state, value, threshold,
                                                  started_at, notified_at, evidence, peak_level, peak_stage, told_stage, reopens, history)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'firing', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)""")
                .params(o.eventId(), o.rule().id(), o.rule().name(), o.serverId(), o.rule().metric(), o.mount(), o.level(), o.stage(),
                        finite(o.value()), finite(o.threshold()), o.ts(), o.tell() ? o.ts() : null, evidence,
                        o.level(), o.stage(), o.tell() ? o.stage() : 0, history)
                .update();
    }

    /** The open incident's level changed in place (up or down); the peak only goes up. */
    void level(Change.Leveled l) {
        jdbc.sql("""
                        UPDATE alert_events SET level = ?, stage = ?, value = ?, threshold = ?,
                               peak_level = CASE WHEN COALESCE(peak_stage, 0) < ? THEN ? ELSE peak_level END,
                               peak_stage = CASE WHEN COALESCE(peak_stage, 0) < ? THEN ? ELSE peak_stage END,
                               told_stage = CASE WHEN ? THEN ? ELSE told_stage END,
                               notified_at = CASE WHEN ? THEN ? ELSE notified_at END, history = ?
                        WHERE id = ?""")
                .params(l.level(), l.stage(), finite(l.value()), finite(l.threshold()), l.stage(), l.level(), l.stage(), l.stage(),
                        l.tell(), l.stage(), l.tell(), l.ts(), appended(l.eventId(), new AlertEvent.Step(l.ts(), l.level(), finite(l.value()))),
                        l.eventId())
                .update();
    }

    /** A resolved incident fired again within the cool-down: the same row goes back to firing. */
    void reopen(Change.Reopened r) {
        jdbc.sql("""
                        UPDATE alert_events SET state = 'firing', resolved_at = NULL, level = ?, stage = ?, value = ?, threshold = ?,
                               reopens = reopens + 1,
                               peak_level = CASE WHEN COALESCE(peak_stage, 0) < ? THEN ? ELSE peak_level END,
                               peak_stage = CASE WHEN COALESCE(peak_stage, 0) < ? THEN ? ELSE peak_stage END,
                               told_stage = CASE WHEN ? THEN ? ELSE told_stage END,
                               notified_at = CASE WHEN ? THEN ? ELSE notified_at END, history = ?
                        WHERE id = ? AND state = 'resolved'""")
                .params(r.level(), r.stage(), finite(r.value()), finite(r.threshold()), r.stage(), r.level(), r.stage(), r.stage(),
                        r.tell(), r.stage(), r.tell(), r.ts(), appended(r.eventId(), new AlertEvent.Step(r.ts(), r.level(), finite(r.value()))),
                        r.eventId())
                .update();
    }

    void resolve(String id, long ts, double value) {
        jdbc.sql("UPDATE alert_events SET state = 'resolved', resolved_at = ?, history = ? WHERE id = ? AND state = 'firing'")
                .params(ts, appended(id, new AlertEvent.Step(ts, "resolved", finite(value))), id).update();
    }

    void resolve(String id, long ts) {
        resolve(id, ts, Double.NaN);
    }

    /** The incident's history with one more step (read and written by the recorder's one thread). */
    private String appended(String id, AlertEvent.Step step) {
        String stored = jdbc.sql("SELECT history FROM alert_events WHERE id = ?").param(id).query(String.class).optional().orElse(null);
        List<AlertEvent.Step> steps = new ArrayList<>(stored == null ? List.of() : json.readValue(stored, STEPS));
        steps.add(step);
        if (steps.size() > HISTORY_MAX) steps.subList(HISTORY_MAX / 2, steps.size() - HISTORY_MAX / 2).clear();
        return json.writeValueAsString(steps);
    }

    void notified(String id, long ts) {
        jdbc.sql("UPDATE alert_events SET notified_at = ?, told_stage = stage WHERE id = ?").params(ts, id).update();
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
        return jdbc.sql("SELECT id, rule_id, server_id, mount, stage, started_at, notified_at, told_stage FROM alert_events WHERE state = 'firing'")
                .query((rs, n) -> {
                    int stage = rs.getObject("stage") == null ? 1 : rs.getInt("stage");
                    Long notifiedAt = Columns.longOrNull(rs, "notified_at");
                    int told = rs.getObject("told_stage") != null ? rs.getInt("told_stage") : notifiedAt == null ? 0 : stage;
                    return new AlertEngine.Firing(rs.getString("rule_id"), rs.getString("id"), rs.getString("server_id"),
                            rs.getString("mount"), stage, rs.getLong("started_at"), notifiedAt, told);
                })
                .list();
    }

    /** Each list: empty means any; several values mean any of them. */
    record Filter(List<String> states, List<String> levels, List<String> serverIds, List<String> ruleIds, long from, long to, int limit) {}

    List<AlertEvent> find(Filter f) {
        return find(f, null);
    }

    /** onlyServers: when not null, only events of these servers (what a non-admin may see). */
    List<AlertEvent> find(Filter f, java.util.Set<String> onlyServers) {
        if (onlyServers != null && onlyServers.isEmpty()) return List.of();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alert_events WHERE started_at <= ? AND (resolved_at IS NULL OR resolved_at >= ?)");
        List<Object> params = new ArrayList<>(List.of(f.to(), f.from()));
        in(sql, params, "state", f.states());
        in(sql, params, "level", f.levels());
        if (onlyServers != null) in(sql, params, "server_id", List.copyOf(onlyServers));
        in(sql, params, "server_id", f.serverIds());
        in(sql, params, "rule_id", f.ruleIds());
        sql.append(" ORDER BY started_at DESC, id LIMIT ?");
        params.add(f.limit());
        return jdbc.sql(sql.toString()).params(params).query(this::map).list();
    }

    private static void in(StringBuilder sql, List<Object> params, String column, List<String> values) {
        if (values.isEmpty()) return;
        sql.append(" AND ").append(column).append(" IN (").append("?, ".repeat(values.size() - 1)).append("?)");
        params.addAll(values);
    }

    private AlertEvent map(ResultSet rs, int row) throws SQLException {
        String evidence = rs.getString("evidence");
        String history = rs.getString("history");
        return new AlertEvent(rs.getString("id"), rs.getString("rule_id"), rs.getString("rule_name"), rs.getString("server_id"),
                rs.getString("metric"), rs.getString("mount"), rs.getString("level"), rs.getString("state"),
                Columns.doubleOrNull(rs, "value"), Columns.doubleOrNull(rs, "threshold"), rs.getLong("started_at"),
                Columns.longOrNull(rs, "resolved_at"), rs.getString("acked_by"), Columns.longOrNull(rs, "acked_at"),
                Columns.longOrNull(rs, "notified_at"),
                evidence == null ? new AlertEvent.Evidence(List.of(), List.of()) : json.readValue(evidence, AlertEvent.Evidence.class),
                rs.getString("peak_level") == null ? rs.getString("level") : rs.getString("peak_level"), rs.getInt("reopens"),
                history == null ? List.of() : json.readValue(history, STEPS));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
