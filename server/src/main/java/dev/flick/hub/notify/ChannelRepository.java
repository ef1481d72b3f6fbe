package dev.flick.hub.notify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.flick.hub.config.SecretCipher;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** alert_channels: non-secret settings as JSON, the webhook URL sealed by the hub's {@link SecretCipher}, bound to its row. */
@Repository
class ChannelRepository {

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private static final String PURPOSE = "alert_channels.url";
    private final SecretCipher secrets;

    ChannelRepository(JdbcClient jdbc, ObjectMapper json, SecretCipher secrets) {
        this.jdbc = jdbc;
        this.json = json;
        this.secrets = secrets;
    }

    List<Channel> all() {
        return jdbc.sql("SELECT * FROM alert_channels ORDER BY created_at, name").query(this::map).list();
    }

    Optional<Channel> find(String id) {
        return jdbc.sql("SELECT * FROM alert_channels WHERE id = ?").param(id).query(this::map).optional();
    }

    boolean exists(String id) {
        return jdbc.sql("SELECT count(*) FROM alert_channels WHERE id = ?").param(id).query(Long.class).single() > 0;
    }

    Channel insert(Channel c) {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        jdbc.sql("""
                        INSERT INTO alert_channels (id, name, type, config, secret, secret_hint, allow_private, owner_id, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, c.name(), c.type(), config(c), seal(id, c.url()), c.url() == null ? null : Channel.mask(c.url()),
                        c.allowPrivate(), c.ownerId(), now)
                .update();
        return find(id).orElseThrow();
    }

    void update(Channel c) {
        jdbc.sql("UPDATE alert_channels SET name = ?, type = ?, config = ?, secret = ?, secret_hint = ?, allow_private = ? WHERE id = ?")
                .params(c.name(), c.type(), config(c), seal(c.id(), c.url()), c.url() == null ? null : Channel.mask(c.url()),
                        c.allowPrivate(), c.id())
                .update();
    }

    boolean delete(String id) {
        return jdbc.sql("DELETE FROM alert_channels WHERE id = ?").param(id).update() > 0;
    }

    private byte[] seal(String id, String url) {
        return url == null ? null : secrets.encrypt(PURPOSE, id, url);
    }


    private String config(Channel c) {
        Map<String, Object> m = new LinkedHashMap<>();
        if ("email".equals(c.type())) m.put("to", c.to());
        else m.put("format", c.format());
        return json.writeValueAsString(m);
    }

    private Channel map(ResultSet rs, int row) throws SQLException {
        String id = rs.getString("id");
        JsonNode config = json.readTree(rs.getString("config"));
        List<String> to = config.has("to") ? json.convertValue(config.get("to"), List.class) : List.of();
        byte[] sealed = rs.getBytes("secret");
        String url = sealed == null ? null : secrets.decrypt(PURPOSE, id, sealed);
        return new Channel(id, rs.getString("name"), rs.getString("type"), to, url,
                config.path("format").asString("json"), rs.getBoolean("allow_private"), rs.getString("owner_id"),
                rs.getLong("created_at"));
    }
}
