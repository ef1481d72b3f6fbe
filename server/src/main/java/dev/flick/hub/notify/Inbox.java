package dev.flick.hub.notify;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.flick.hub.auth.User;
import dev.flick.hub.auth.UserAccounts;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.live.LiveMessage;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** In-app notifications: one stored row per user, pushed at once to that user's open sockets. */
@Component
class Inbox implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> PARAMS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final UserAccounts users;
    private final LiveHub live;
    private final PublicLinks links;

    private final dev.flick.hub.servers.ServerAccess access;

    Inbox(JdbcClient jdbc, UserAccounts users, LiveHub live, PublicLinks links,
          dev.flick.hub.servers.ServerAccess access) {
        this.access = access;
        this.jdbc = jdbc;
        this.users = users;
        this.live = live;
        this.links = links;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(String id, String title, String body, String level, long ts, boolean read, String eventId,
                String serverId, String link, String code, Map<String, Object> params) {
        /** An item without a code (older rows): the client shows its English title. */
        Item(String id, String title, String body, String level, long ts, boolean read, String eventId, String serverId, String link) {
            this(id, title, body, level, ts, read, eventId, serverId, link, null, null);
        }
    }

    record Page(List<Item> items, long unread) {}

    @Override
    public void notify(Notice n) {
        if (n.kind() == Notice.Kind.TEST) return;
        String title = n.headline();
        String body = body(n);
        String level = n.kind() == Notice.Kind.RESOLVED ? "info" : n.level();
        String code = NoticeText.code(n);
        Map<String, Object> params = NoticeText.params(n);
        String paramsJson = JSON.writeValueAsString(params);
        for (User u : users.active()) {
            // Only people who may see the server hear about it.
            if (n.serverId() != null && !access.canView(u.id(), u.role(), n.serverId())) continue;
            String id = UUID.randomUUID().toString();
            try {
                jdbc.sql("INSERT INTO notifications (id, user_id, event_id, title, body, level, ts, code, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(id, u.id(), n.eventId(), title, body, level, n.ts(), code, paramsJson).update();
            } catch (RuntimeException e) {
                log.warn("Could not store a notification for user {}: {}", u.id(), e.getMessage());
            }
            Item item = new Item(id, title, body, level, n.ts(), false, n.eventId(), n.serverId(), links.moment(n.serverId(), n.ts()),
                    code, params);
            live.send(new LiveMessage.Notification(u.id(), item));
        }
    }

    static String body(Notice n) {
        StringBuilder b = new StringBuilder();
        if (n.ruleName() != null) b.append("Rule “").append(n.ruleName()).append("”. ");
        if (!n.processes().isEmpty() && n.kind() != Notice.Kind.RESOLVED) {
            b.append("Top: ");
            n.processes().stream().limit(3).forEach(p -> b.append(p.name()).append(" (").append(Math.round(p.cpu()))
                    .append(" % CPU), "));
            b.setLength(b.length() - 2);
        }
        return b.toString().trim();
    }

    Page page(String userId, int limit) {
        // The server comes from the event, so every item links to the server's page at its moment.
        List<Item> items = jdbc.sql("""
                        SELECT n.id, n.title, n.body, n.level, n.ts, n.read_at, n.event_id, e.server_id, n.code, n.params
                        FROM notifications n LEFT JOIN alert_events e ON e.id = n.event_id
                        WHERE n.user_id = ? ORDER BY n.ts DESC, n.id LIMIT ?""")
                .params(userId, limit)
                .query((rs, i) -> {
                    String serverId = rs.getString("server_id");
                    long ts = rs.getLong("ts");
                    return new Item(rs.getString("id"), rs.getString("title"), rs.getString("body"),
                            rs.getString("level"), ts, rs.getObject("read_at") != null, rs.getString("event_id"),
                            serverId, serverId == null ? null : links.moment(serverId, ts), rs.getString("code"),
                            params(rs.getString("params")));
                })
                .list();
        long unread = jdbc.sql("SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL")
                .param(userId).query(Long.class).single();
        return new Page(items, unread);
    }

    private static Map<String, Object> params(String json) {
        if (json == null) return null;
        try {
            return JSON.readValue(json, PARAMS);
        } catch (RuntimeException e) {
            return null; // shown by its English title
        }
    }

    Optional<Boolean> markRead(String userId, String id) {
        int n = jdbc.sql("UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?")
                .params(System.currentTimeMillis(), id, userId).update();
        return n == 0 ? Optional.empty() : Optional.of(true);
    }

    /** Clears one notification (true when it was the user's). */
    boolean clear(String userId, String id) {
        return jdbc.sql("DELETE FROM notifications WHERE id = ? AND user_id = ?").params(id, userId).update() > 0;
    }

    /** Clears every notification of the user. */
    int clearAll(String userId) {
        return jdbc.sql("DELETE FROM notifications WHERE user_id = ?").param(userId).update();
    }

    int markAllRead(String userId) {
        return jdbc.sql("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL")
                .params(System.currentTimeMillis(), userId).update();
    }
}
