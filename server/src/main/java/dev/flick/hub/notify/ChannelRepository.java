package dev.flick.hub.notify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.flick.hub.config.SecretCipher;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** alert_channels: non-secret settings and templates as JSON, secret fields and headers sealed by the hub's {@link SecretCipher}, bound to its row. */
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
                .params(id, c.name(), c.type(), config(c), seal(id, c), hint(c), c.allowPrivate(), c.ownerId(), now)
                .update();
        return find(id).orElseThrow();
    }

    void update(Channel c) {
        jdbc.sql("UPDATE alert_channels SET name = ?, type = ?, config = ?, secret = ?, secret_hint = ?, allow_private = ? WHERE id = ?")
                .params(c.name(), c.type(), config(c), seal(c.id(), c), hint(c), c.allowPrivate(), c.id())
                .update();
    }

    boolean delete(String id) {
        return jdbc.sql("DELETE FROM alert_channels WHERE id = ?").param(id).update() > 0;
    }

    /** The latest notice sent through any channel other than a test: what a template preview renders. */
    Optional<String> latestNoticeJson() {
        return jdbc.sql("SELECT payload FROM alert_deliveries WHERE kind <> 'test' ORDER BY created_at DESC LIMIT 1")
                .query(String.class).optional();
    }

    private static String hint(Channel c) {
        String url = c.secrets().get("url");
        return url == null ? null : Channel.mask(url);
    }

    /** Secret fields and headers as one sealed JSON object; older rows hold the bare webhook URL. */
    private byte[] seal(String id, Channel c) {
        if (c.secrets().isEmpty() && c.headers().isEmpty()) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fields", new TreeMap<>(c.secrets()));
        if (!c.headers().isEmpty()) m.put("headers", new TreeMap<>(c.headers()));
        return secrets.encrypt(PURPOSE, id, json.writeValueAsString(m));
    }

    private String config(Channel c) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (c.kind() == ChannelKind.EMAIL) {
            m.put("to", c.to());
        } else {
            m.putAll(new TreeMap<>(c.settings()));
            Map<String, Object> templates = c.templates().view();
            if (!templates.isEmpty()) m.put("templates", templates);
            if (!c.headers().isEmpty()) m.put("headerNames", new ArrayList<>(new TreeMap<>(c.headers()).keySet()));
        }
        return json.writeValueAsString(m);
    }

    @SuppressWarnings("unchecked")
    private Channel map(ResultSet rs, int row) throws SQLException {
        String id = rs.getString("id");
        JsonNode config = json.readTree(rs.getString("config"));
        ChannelKind kind = ChannelKind.of(rs.getString("type")).orElse(ChannelKind.WEBHOOK);
        List<String> to = config.has("to") ? json.convertValue(config.get("to"), List.class) : List.of();
        Map<String, String> settings = new LinkedHashMap<>();
        for (ChannelKind.Field f : kind.fields) {
            if (!f.secret() && config.hasNonNull(f.name())) settings.put(f.name(), config.get(f.name()).asString());
        }
        Map<String, String> sealedFields = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] sealed = rs.getBytes("secret");
        if (sealed != null) {
            String open = secrets.decrypt(PURPOSE, id, sealed);
            if (open.startsWith("{")) {
                JsonNode s = json.readTree(open);
                s.path("fields").properties().forEach(e -> sealedFields.put(e.getKey(), e.getValue().asString()));
                s.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asString()));
            } else {
                sealedFields.put("url", open);
            }
        }
        return new Channel(id, rs.getString("name"), kind, to, settings, sealedFields, headers, templates(config.path("templates")),
                rs.getBoolean("allow_private"), rs.getString("owner_id"), rs.getLong("created_at"));
    }

    static Template.Set templates(JsonNode t) {
        if (t == null || !t.isObject()) return Template.Set.DEFAULTS;
        return new Template.Set(part(t.get("firing")), part(t.get("reminder")), part(t.get("resolved")));
    }

    private static Template.Part part(JsonNode p) {
        if (p == null || !p.isObject()) return null;
        String title = p.hasNonNull("title") && !p.get("title").asString().isBlank() ? p.get("title").asString() : null;
        String body = p.hasNonNull("body") && !p.get("body").asString().isBlank() ? p.get("body").asString() : null;
        return title == null && body == null ? null : new Template.Part(title, body);
    }
}
