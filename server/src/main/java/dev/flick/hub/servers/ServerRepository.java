package dev.flick.hub.servers;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ServerRepository {

    private static final String COLUMNS = "id, name, mode, status, status_reason, last_seen, host, port, info, created_at";

    private final JdbcClient jdbc;

    ServerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Server> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM servers ORDER BY created_at, name").query(ServerRepository::map).list();
    }

    Optional<Server> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM servers WHERE id = ?").param(id).query(ServerRepository::map).optional();
    }

    Optional<Server> findLocal() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM servers WHERE mode = 'local' ORDER BY created_at LIMIT 1")
                .query(ServerRepository::map).optional();
    }

    Server insert(String name, String mode, String infoJson) {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        jdbc.sql("INSERT INTO servers (id, name, mode, status, info, created_at) VALUES (?, ?, ?, 'pending', ?, ?)")
                .params(id, name, mode, infoJson, now).update();
        return find(id).orElseThrow();
    }

    void updateInfo(String id, String infoJson) {
        jdbc.sql("UPDATE servers SET info = ? WHERE id = ?").params(infoJson, id).update();
    }

    void updateStatus(String id, String status, String reason, Long lastSeen) {
        jdbc.sql("UPDATE servers SET status = ?, status_reason = ?, last_seen = COALESCE(?, last_seen) WHERE id = ?")
                .params(status, reason, lastSeen, id).update();
    }

    void touch(Map<String, Long> lastSeen) {
        lastSeen.forEach((id, ts) -> jdbc.sql("UPDATE servers SET last_seen = ? WHERE id = ? AND (last_seen IS NULL OR last_seen < ?)")
                .params(ts, id, ts).update());
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Server map(ResultSet rs, int n) throws SQLException {
        return new Server(rs.getString("id"), rs.getString("name"), rs.getString("mode"), rs.getString("status"),
                rs.getString("status_reason"), nullableLong(rs, "last_seen"), rs.getString("host"),
                rs.getObject("port") == null ? null : rs.getInt("port"), rs.getString("info"), rs.getLong("created_at"));
    }
}
