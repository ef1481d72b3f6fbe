package dev.flick.hub.collect;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.flick.collector.HostInfo;
import dev.flick.collector.Snapshot;
import dev.flick.hub.metrics.Ingest;
import dev.flick.hub.servers.Presence;
import dev.flick.hub.servers.ServerEvents;
import dev.flick.hub.servers.Servers;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Agents on /api/v1/agent. The first message is {@code auth} with the agent token (checked by its SHA-256, within
 * 5 s, else close 4401); from then on the socket speaks for that one server, whatever server ids its messages name.
 * {@code snapshots} batches (live or back-filled) go through {@link Ingest#accept} one by one and are acknowledged
 * with the newest ts, so the agent can forget them; a bad item is refused with an {@code error} message and the rest
 * of the batch still counts. Deleting a server or regenerating its token closes its socket with 4401.
 */
@Component
class AgentSocketHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(AgentSocketHandler.class);
    static final CloseStatus UNAUTHORIZED = new CloseStatus(4401, "unauthorized");
    static final long AUTH_WITHIN_MS = 5_000;
    static final int MAX_BATCH = 1_000;
    /** A whole message may be this long; the container hands it over in frames of its (small) buffer size. */
    static final int MAX_MESSAGE_CHARS = 2 << 20;

    private final Map<String, AgentConnection> connections = new ConcurrentHashMap<>();
    private final Servers servers;
    private final Presence presence;
    private final Ingest ingest;
    private final ObjectMapper json;

    private static final class AgentConnection {
        final WebSocketSession session;
        final long openedAt = System.currentTimeMillis();
        volatile String serverId;
        /** The frames of a message not yet complete; touched only by the socket's own thread. */
        final StringBuilder partial = new StringBuilder();

        AgentConnection(WebSocketSession session) {
            // Sends come from the socket's own thread and from revocations: the decorator serialises them.
            this.session = new ConcurrentWebSocketSessionDecorator(session, 10_000, 64 * 1024);
        }

        void send(String message) {
            try {
                session.sendMessage(new TextMessage(message));
            } catch (IOException | IllegalStateException e) {
                close(CloseStatus.SESSION_NOT_RELIABLE);
            }
        }

        void close(CloseStatus status) {
            try {
                session.close(status);
            } catch (IOException | IllegalStateException e) {
                // already closing
            }
        }
    }

    AgentSocketHandler(Servers servers, Presence presence, Ingest ingest, ObjectMapper json) {
        this.servers = servers;
        this.presence = presence;
        this.ingest = ingest;
        this.json = json;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        connections.put(session.getId(), new AgentConnection(session));
    }

    /**
     * Frames are put together here rather than in the container: its per-socket buffer is allocated up front for
     * every socket, and a thousand agents with megabyte buffers would cost gigabytes for messages that are mostly 3 kB.
     */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        AgentConnection conn = connections.get(session.getId());
        if (conn == null) return;
        String payload;
        if (message.isLast() && conn.partial.isEmpty()) {
            payload = message.getPayload();
        } else {
            if (conn.partial.length() + message.getPayloadLength() > MAX_MESSAGE_CHARS) {
                conn.partial.setLength(0);
                conn.send(error("too-large", "Messages may be at most " + MAX_MESSAGE_CHARS + " characters"));
                conn.close(CloseStatus.TOO_BIG_TO_PROCESS);
                return;
            }
            conn.partial.append(message.getPayload());
            if (!message.isLast()) return;
            payload = conn.partial.toString();
            conn.partial.setLength(0);
            conn.partial.trimToSize();
        }
        JsonNode node;
        try {
            node = json.readTree(payload);
        } catch (JacksonException e) {
            refuse(conn, "bad-json", "Messages must be JSON objects");
            return;
        }
        String type = node != null && node.isObject() && node.path("type").isString() ? node.get("type").asString() : "";
        if (conn.serverId == null) {
            if (type.equals("auth")) authenticate(conn, node);
            else conn.close(UNAUTHORIZED);
            return;
        }
        try {
            switch (type) {
                case "snapshots" -> snapshots(conn, node.get("items"));
                case "snapshot" -> snapshots(conn, json.createArrayNode().add(node));
                case "info" -> info(conn, node.get("info"));
                case "ping" -> { /* keeps the socket warm */ }
                case "auth" -> conn.send(error("already-authenticated", "This socket is already authenticated"));
                default -> conn.send(error("unknown-type", "Unknown message type: " + clip(type)));
            }
        } catch (RuntimeException e) {
            // Whatever an agent sends must never take the hub down; the message is refused and the socket stays.
            log.warn("Agent message for server {} could not be handled: {}", conn.serverId, e.toString());
            conn.send(error("failed", "The hub could not handle this message"));
        }
    }

    private void authenticate(AgentConnection conn, JsonNode node) {
        JsonNode token = node.get("token");
        Optional<String> serverId = token != null && token.isString() ? servers.agentServerFor(token.asString()) : Optional.empty();
        if (serverId.isEmpty()) {
            log.info("Agent socket {} refused: wrong or revoked token", conn.session.getId());
            conn.send(error("unauthorized", "The agent token is wrong or was revoked"));
            conn.close(UNAUTHORIZED);
            return;
        }
        String id = serverId.get();
        // One live socket per server: a second agent with the same token replaces the first.
        connections.values().stream().filter(c -> c != conn && id.equals(c.serverId))
                .forEach(c -> c.close(new CloseStatus(4409, "replaced by a newer connection")));
        conn.serverId = id;
        JsonNode interval = node.get("interval");
        if (interval != null && interval.isIntegralNumber() && interval.asLong() >= 100) presence.expectEvery(id, interval.asLong());
        conn.send("{\"type\":\"ready\",\"serverId\":\"" + id + "\"}");
        log.info("Agent connected for server {}", id);
    }

    private void snapshots(AgentConnection conn, JsonNode items) {
        if (items == null || !items.isArray()) {
            conn.send(error("bad-message", "snapshots needs an items array"));
            return;
        }
        if (items.size() > MAX_BATCH) {
            conn.send(error("too-large", "At most " + MAX_BATCH + " snapshots per message"));
            return;
        }
        long now = System.currentTimeMillis();
        long newest = -1;
        int refused = 0;
        String firstProblem = null;
        for (JsonNode item : items) {
            newest = Math.max(newest, AgentMessages.tsOf(item));
            String id = conn.serverId;
            if (id == null) return; // revoked mid-batch
            try {
                Snapshot s = AgentMessages.snapshot(item, id, now);
                ingest.accept(s);
            } catch (AgentMessages.Invalid e) {
                refused++;
                if (firstProblem == null) firstProblem = e.getMessage();
            }
        }
        if (refused > 0) {
            conn.send(error("bad-snapshot", refused + " of " + items.size() + " snapshots refused: " + firstProblem));
        }
        conn.send("{\"type\":\"ack\",\"ts\":" + newest + "}");
    }

    private void info(AgentConnection conn, JsonNode node) {
        try {
            HostInfo info = AgentMessages.hostInfo(node);
            servers.updateInfo(conn.serverId, info);
        } catch (AgentMessages.Invalid e) {
            conn.send(error("bad-info", e.getMessage()));
        }
    }

    private void refuse(AgentConnection conn, String code, String message) {
        if (conn.serverId == null) conn.close(UNAUTHORIZED);
        else conn.send(error(code, message));
    }

    private String error(String code, String message) {
        return json.writeValueAsString(Map.of("type", "error", "code", code, "message", message));
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    @EventListener
    void onServerEvent(ServerEvents event) {
        if (event instanceof ServerEvents.Removed || event instanceof ServerEvents.AgentTokenRevoked) {
            for (AgentConnection c : connections.values()) {
                if (event.serverId().equals(c.serverId)) {
                    c.serverId = null;
                    c.close(new CloseStatus(4401, "token revoked"));
                }
            }
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        AgentConnection conn = connections.remove(session.getId());
        if (conn != null && conn.serverId != null) log.info("Agent for server {} disconnected ({})", conn.serverId, status.getCode());
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("Agent socket {} transport error: {}", session.getId(), exception.toString());
    }

    /** Sockets that never authenticated are closed after 5 s. */
    @Scheduled(fixedDelay = 1_000)
    void sweep() {
        long now = System.currentTimeMillis();
        for (AgentConnection c : connections.values()) {
            if (c.serverId == null && now - c.openedAt > AUTH_WITHIN_MS) c.close(UNAUTHORIZED);
        }
    }

    int size() {
        return connections.size();
    }

    @jakarta.annotation.PreDestroy
    void shutdown() {
        connections.values().forEach(c -> c.close(CloseStatus.GOING_AWAY));
    }
}
