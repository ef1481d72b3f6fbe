package dev.flick.hub.notify;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** push_subscriptions: one row per subscribed browser. The endpoint and keys never leave the hub again. */
@Component
class PushSubscriptions {

    private final JdbcClient jdbc;

    PushSubscriptions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What the Profile page lists: which device, since when; the endpoint only as its host. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Subscription(String id, @JsonIgnore String userId, @JsonIgnore String endpoint, @JsonIgnore String p256dh,
                        @JsonIgnore String auth, String name, String userAgent, long createdAt) {

        public String service() {
            return java.net.URI.create(endpoint).getHost();
        }
    }

    private static final RowMapper<Subscription> ROW = (rs, n) -> new Subscription(rs.getString("id"), rs.getString("user_id"),
            rs.getString("endpoint"), rs.getString("p256dh"), rs.getString("auth"), rs.getString("name"), rs.getString("user_agent"),
            rs.getLong("created_at"));

    /** Subscribing the same browser again (same endpoint) replaces the row: keys may have rotated, the owner may differ. */
    Subscription save(String userId, String endpoint, String p256dh, String auth, String name, String userAgent, long now) {
        Optional<Subscription> same = jdbc.sql("SELECT * FROM push_subscriptions WHERE endpoint = ?").param(endpoint).query(ROW).optional();
        if (same.isPresent()) {
            jdbc.sql("UPDATE push_subscriptions SET user_id = ?, p256dh = ?, auth = ?, name = ?, user_agent = ? WHERE id = ?")
                    .params(userId, p256dh, auth, name, userAgent, same.get().id()).update();
            return find(same.get().id()).orElseThrow();
        }
        String id = UUID.randomUUID().toString();
        jdbc.sql("""
                        INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, name, user_agent, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, userId, endpoint, p256dh, auth, name, userAgent, now).update();
        return find(id).orElseThrow();
    }

    Optional<Subscription> find(String id) {
        return jdbc.sql("SELECT * FROM push_subscriptions WHERE id = ?").param(id).query(ROW).optional();
    }

    List<Subscription> forUser(String userId) {
        return jdbc.sql("SELECT * FROM push_subscriptions WHERE user_id = ? ORDER BY created_at DESC, id").param(userId).query(ROW).list();
    }

    boolean delete(String userId, String id) {
        return jdbc.sql("DELETE FROM push_subscriptions WHERE id = ? AND user_id = ?").params(id, userId).update() == 1;
    }

    /** The push service said the subscription is gone (404/410). */
    void expire(String id) {
        jdbc.sql("DELETE FROM push_subscriptions WHERE id = ?").param(id).update();
    }
}
