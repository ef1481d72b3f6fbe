package dev.flick.hub.alerts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** alert_rules: scope and channels as JSON arrays of ids. */
@Repository
class RuleRepository {

    private static final TypeReference<List<String>> IDS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    RuleRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<AlertRule> all() {
        return jdbc.sql("SELECT * FROM alert_rules ORDER BY created_at, name").query(this::map).list();
    }

    Optional<AlertRule> find(String id) {
        return jdbc.sql("SELECT * FROM alert_rules WHERE id = ?").param(id).query(this::map).optional();
    }

    AlertRule insert(AlertRule r, String ownerId) {
        AlertRule stored = r.withId(UUID.randomUUID().toString(), System.currentTimeMillis(), ownerId);
        jdbc.sql("""
                        INSERT INTO alert_rules (id, name, metric, comparator, warning, critical, warning_level, critical_level,
                            duration_seconds, recovery_margin, mount, server_ids, repeat_minutes, channel_ids, enabled, muted_until,
                            owner_id, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(stored.id(), stored.name(), stored.metric(), stored.comparator(), stored.warning(), stored.critical(),
                        stored.warningLevel(), stored.criticalLevel(), stored.durationSeconds(), stored.recoveryMargin(), stored.mount(),
                        ids(stored.serverIds()), stored.repeatMinutes(), ids(stored.channelIds()), stored.enabled(), stored.mutedUntil(),
                        stored.ownerId(), stored.createdAt())
                .update();
        return stored;
    }

    void update(AlertRule r) {
        jdbc.sql("""
                        UPDATE alert_rules SET name = ?, metric = ?, comparator = ?, warning = ?, critical = ?, warning_level = ?,
                            critical_level = ?, duration_seconds = ?, recovery_margin = ?, mount = ?, server_ids = ?, repeat_minutes = ?,
                            channel_ids = ?, enabled = ?, muted_until = ?
                        WHERE id = ?""")
                .params(r.name(), r.metric(), r.comparator(), r.warning(), r.critical(), r.warningLevel(), r.criticalLevel(),
                        r.durationSeconds(), r.recoveryMargin(), r.mount(), ids(r.serverIds()), r.repeatMinutes(), ids(r.channelIds()),
                        r.enabled(), r.mutedUntil(), r.id())
                .update();
    }

    boolean delete(String id) {
        return jdbc.sql("DELETE FROM alert_rules WHERE id = ?").param(id).update() > 0;
    }

    private String ids(List<String> ids) {
        return ids == null ? null : json.writeValueAsString(ids);
    }

    private List<String> parse(String ids) {
        return ids == null ? null : json.readValue(ids, IDS);
    }

    private AlertRule map(ResultSet rs, int row) throws SQLException {
        List<String> channels = parse(rs.getString("channel_ids"));
        return new AlertRule(rs.getString("id"), rs.getString("name"), rs.getString("metric"), rs.getString("comparator"),
                Columns.doubleOrNull(rs, "warning"), Columns.doubleOrNull(rs, "critical"), rs.getString("warning_level"),
                rs.getString("critical_level"), rs.getInt("duration_seconds"), Columns.doubleOrNull(rs, "recovery_margin"),
                rs.getString("mount"), parse(rs.getString("server_ids")), Columns.intOrNull(rs, "repeat_minutes"),
                channels == null ? List.of() : channels, rs.getBoolean("enabled"), Columns.longOrNull(rs, "muted_until"),
                rs.getString("owner_id"), rs.getLong("created_at"));
    }
}
