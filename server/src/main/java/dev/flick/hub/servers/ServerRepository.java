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

    private static final String COLUMNS = "id, name, mode, status, status_reason, last_seen, host, port, username, "
            + "host_key_fingerprint, host_key_offered, info, created_at, ssh_allow_loopback, scrape_url, host_key_type, "
            + "host_key_offered_type";

    private final JdbcClient jdbc;

    ServerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Server> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM servers ORDER BY created_at, name").query(ServerRepository::map).list();
    }

    List<Server> byMode(String mode) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM servers WHERE mode = ? ORDER BY created_at").param(mode)
                .query(ServerRepository::map).list();
    }

    Optional<Server> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM servers WHERE id = ?").param(id).query(ServerRepository::map).optional();
    }

    Optional<Server> findLocal() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM servers WHERE mode = 'local' ORDER BY created_at LIMIT 1")
                .query(ServerRepository::map).optional();
    }

    Optional<String> idByTokenHash(String hash) {
        return jdbc.sql("SELECT id FROM servers WHERE agent_token_hash = ? AND mode = 'agent'").param(hash)
                .query(String.class).optional();
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    Server insert(String name, String mode, String infoJson) {
        String id = newId();
        long now = System.currentTimeMillis();
        jdbc.sql("INSERT INTO servers (id, name, mode, status, info, created_at) VALUES (?, ?, ?, 'pending', ?, ?)")
                .params(id, name, mode, infoJson, now).update();
        return find(id).orElseThrow();
    }

    void setOwner(String id, String ownerId) {
        jdbc.sql("UPDATE servers SET owner_id = ? WHERE id = ?").params(ownerId, id).update();
    }

    Server insertAgent(String id, String name, String tokenHash) {
        jdbc.sql("INSERT INTO servers (id, name, mode, status, agent_token_hash, created_at) VALUES (?, ?, 'agent', 'pending', ?, ?)")
                .params(id, name, tokenHash, System.currentTimeMillis()).update();
        return find(id).orElseThrow();
    }

    /** hostKeyFingerprint: the key the adder expects (trusted from the start), or null to confirm the one presented. */
    Server insertSsh(String id, String name, String host, int port, String username, byte[] credentials, boolean allowLoopback,
                     String hostKeyFingerprint) {
        jdbc.sql("INSERT INTO servers (id, name, mode, status, host, port, username, credentials, ssh_allow_loopback, created_at, "
                        + "host_key_fingerprint) VALUES (?, ?, 'ssh', 'pending', ?, ?, ?, ?, ?, ?, ?)")
                .params(id, name, host, port, username, credentials, allowLoopback, System.currentTimeMillis(),
                        hostKeyFingerprint).update();
        return find(id).orElseThrow();
    }

    Server insertPrometheus(String id, String name, String url, boolean allowLoopback) {
        jdbc.sql("INSERT INTO servers (id, name, mode, status, scrape_url, ssh_allow_loopback, created_at) "
                        + "VALUES (?, ?, 'prometheus', 'pending', ?, ?, ?)")
                .params(id, name, url, allowLoopback, System.currentTimeMillis()).update();
        return find(id).orElseThrow();
    }

    /** A prometheus server scrapes another URL; an allowance given for the old one goes unless given again. */
    void moveScrape(String id, String url, boolean allowLoopback) {
        jdbc.sql("UPDATE servers SET scrape_url = ?, ssh_allow_loopback = ? WHERE id = ?").params(url, allowLoopback, id).update();
    }

    byte[] credentials(String id) {
        return jdbc.sql("SELECT credentials FROM servers WHERE id = ?").param(id)
                .query((rs, n) -> rs.getBytes(1)).optional().orElse(null);
    }

    /** id → stored credentials, for re-sealing under a new key. */
    Map<String, byte[]> allCredentials() {
        Map<String, byte[]> out = new java.util.HashMap<>();
        jdbc.sql("SELECT id, credentials FROM servers WHERE credentials IS NOT NULL")
                .query((rs, n) -> out.put(rs.getString(1), rs.getBytes(2))).list();
        return out;
    }

    void updateCredentials(String id, byte[] credentials) {
        jdbc.sql("UPDATE servers SET credentials = ? WHERE id = ?").params(credentials, id).update();
    }

    void rename(String id, String name) {
        jdbc.sql("UPDATE servers SET name = ? WHERE id = ?").params(name, id).update();
    }

    /**
     * Points the server somewhere else. Credentials go to the new place only if they came with the change (else
     * they are discarded); a new host or port is a new machine, whose host key is confirmed again on first connection.
     */
    void moveTarget(String id, String host, int port, String username, byte[] newCredentials, boolean forgetHostKey,
                    boolean allowLoopback) {
        jdbc.sql("UPDATE servers SET host = ?, port = ?, username = ?, credentials = ?, ssh_allow_loopback = ?"
                        + (forgetHostKey ? ", host_key_fingerprint = NULL, host_key_offered = NULL, host_key_type = NULL, host_key_offered_type = NULL" : "") + " WHERE id = ?")
                .params(host, port, username, newCredentials, allowLoopback, id).update();
    }

    void setAllowLoopback(String id, boolean allow) {
        jdbc.sql("UPDATE servers SET ssh_allow_loopback = ? WHERE id = ?").params(allow, id).update();
    }

    void updateTokenHash(String id, String hash) {
        jdbc.sql("UPDATE servers SET agent_token_hash = ? WHERE id = ?").params(hash, id).update();
    }

    /** A first key seen while none is trusted: kept for an admin to confirm. False when a key is trusted meanwhile. */
    boolean offerFirstHostKey(String id, String fingerprint, String type) {
        return jdbc.sql("UPDATE servers SET host_key_offered = ?, host_key_offered_type = ? WHERE id = ? "
                        + "AND host_key_fingerprint IS NULL").params(fingerprint, type, id).update() == 1;
    }

    void offerHostKey(String id, String fingerprint, String type) {
        jdbc.sql("UPDATE servers SET host_key_offered = ?, host_key_offered_type = ? WHERE id = ?").params(fingerprint, type, id).update();
    }

    /** The trusted key's type, learnt on the first connection when only its fingerprint was given. */
    void noteHostKeyType(String id, String fingerprint, String type) {
        jdbc.sql("UPDATE servers SET host_key_type = ? WHERE id = ? AND host_key_fingerprint = ? AND host_key_type IS NULL")
                .params(type, id, fingerprint).update();
    }

    /** Trusts the offered key if it is still the one named: false when another was offered meanwhile. */
    boolean acceptOfferedHostKey(String id, String fingerprint) {
        return jdbc.sql("UPDATE servers SET host_key_fingerprint = host_key_offered, host_key_type = host_key_offered_type, "
                + "host_key_offered = NULL, host_key_offered_type = NULL WHERE id = ? AND host_key_offered = ?")
                .params(id, fingerprint).update() == 1;
    }

    /** Forgets the offered key (the trusted one, if any, stays): false when another was offered meanwhile. */
    boolean rejectOfferedHostKey(String id, String fingerprint) {
        return jdbc.sql("UPDATE servers SET host_key_offered = NULL, host_key_offered_type = NULL WHERE id = ? AND host_key_offered = ?")
                .params(id, fingerprint).update() == 1;
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

    boolean delete(String id) {
        return jdbc.sql("DELETE FROM servers WHERE id = ?").param(id).update() == 1;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Server map(ResultSet rs, int n) throws SQLException {
        return new Server(rs.getString("id"), rs.getString("name"), rs.getString("mode"), rs.getString("status"),
                rs.getString("status_reason"), nullableLong(rs, "last_seen"), rs.getString("host"),
                rs.getObject("port") == null ? null : rs.getInt("port"), rs.getString("username"),
                rs.getString("host_key_fingerprint"), rs.getString("host_key_offered"), rs.getString("info"),
                rs.getLong("created_at"), rs.getBoolean("ssh_allow_loopback"), rs.getString("scrape_url"),
                rs.getString("host_key_type"), rs.getString("host_key_offered_type"));
    }
}
