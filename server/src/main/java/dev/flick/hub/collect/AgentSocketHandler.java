package dev.flick.hub.collect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.flick.collector.HostInfo;
import dev.flick.collector.Snapshot;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.metrics.Ingest;
import dev.flick.hub.servers.Presence;
import dev.flick.hub.servers.ServerEvents;
import dev.flick.hub.servers.Servers;

import io.micrometer.core.instrument.MeterRegistry;

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
 * of the batch still counts. {@code logs} batches (the host's system log) are checked line by line, stamped with the
 * token's server and appended to the {@link EventLog}, acknowledged with the number of lines handled. Connects and
 * disconnects are hub events in that log too. Deleting a server or regenerating its token closes its socket with 4401.
 */
@Component
class AgentSocketHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(AgentSocketHandler.class);
    static final CloseStatus UNAUTHORIZED = new CloseStatus(4401, "unauthorized");
    static final long AUTH_WITHIN_MS = 5_000;
    static final int MAX_BATCH = 1_000;
    static final int MAX_LOG_LINES = 1_000;
    /** How long ready waits for the first clock probe's answer; an agent that never answers gets ready anyway. */
    static final long PROBE_WAIT_MS = 3_000;
    static final long PROBE_EVERY_MS = 60_000;
    static final long RETRY_STORAGE_MS = 3_000;
    /** A whole message may be this long; the container hands it over in frames of its (small) buffer size. */
    static final int MAX_MESSAGE_CHARS = 2 << 20;

    private final Map<String, AgentConnection> connections = new ConcurrentHashMap<>();
    private final Servers servers;
    private final Presence presence;
    private final Ingest ingest;
    private final EventLog events;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    /** Acknowledgements wait for the spool's fsync; they are sent from here, never from the spool's thread. */
    private final ExecutorService acks = Executors.newVirtualThreadPerTaskExecutor();

    private static final class AgentConnection {
        final WebSocketSession session;
        final long openedAt = System.currentTimeMillis();
        /** Set once the connection is ready (clock measured): from then on it speaks for this server. */
        volatile String serverId;
        /** The token's server while the first clock probe is out. */
        volatile String authenticated;
        volatile long readyBy;
        /** The agent's own clock from its auth message minus the hub's at receipt: a one-way estimate, or null. */
        volatile Long oneWayOffset;
        volatile long appliedOffset;
        volatile long lastProbeAt;
        final AgentClock clock = new AgentClock();
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

    AgentSocketHandler(Servers servers, Presence presence, Ingest ingest, EventLog events, ObjectMapper json, MeterRegistry meters) {
        this.meters = meters;
        this.servers = servers;
        this.presence = presence;
        this.ingest = ingest;
        this.events = events;
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
            if (type.equals("auth") && conn.authenticated == null) authenticate(conn, node);
            else if (type.equals("time") && conn.authenticated != null) clock(conn, node);
            else if (conn.authenticated == null) conn.close(UNAUTHORIZED);
            else conn.send(error("not-ready", "Wait for ready before sending " + clip(type)));
            return;
        }
        try {
            switch (type) {
                case "snapshots" -> snapshots(conn, node.get("items"));
                case "snapshot" -> snapshots(conn, json.createArrayNode().add(node));
                case "live" -> live(conn, node.get("item"));
                case "time" -> clock(conn, node);
                case "logs" -> logs(conn, node.get("lines"));
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
        connections.values().stream().filter(c -> c != conn && (id.equals(c.serverId) || id.equals(c.authenticated)))
                .forEach(c -> c.close(new CloseStatus(4409, "replaced by a newer connection")));
        long now = System.currentTimeMillis();
        JsonNode clock = node.get("clock");
        if (clock != null && clock.isIntegralNumber()) conn.oneWayOffset = clock.asLong() - now;
        conn.appliedOffset = servers.clockOffset(id).orElse(0);
        JsonNode interval = node.get("interval");
        if (interval != null && interval.isIntegralNumber() && interval.asLong() >= 100) presence.expectEvery(id, interval.asLong());
        conn.readyBy = now + PROBE_WAIT_MS;
        conn.authenticated = id;
        probe(conn, now);
    }

    /** Asks the agent for its clock; the answer ({@link #clock}) measures the offset NTP-style. */
    private void probe(AgentConnection conn, long now) {
        conn.lastProbeAt = now;
        conn.send("{\"type\":\"time\",\"h\":" + now + "}");
    }

    private void clock(AgentConnection conn, JsonNode node) {
        long received = System.currentTimeMillis();
        JsonNode h = node.get("h");
        JsonNode a1 = node.get("a1");
        JsonNode a2 = node.get("a2");
        if (h == null || a1 == null || a2 == null || !h.isIntegralNumber() || !a1.isIntegralNumber() || !a2.isIntegralNumber()
                || h.asLong() > received || a2.asLong() < a1.asLong()) {
            conn.send(error("bad-time", "time needs the echoed h and the agent's a1 <= a2 in ms"));
            return;
        }
        conn.clock.add(h.asLong(), a1.asLong(), a2.asLong(), received);
        applyOffset(conn);
        if (conn.serverId == null) ready(conn);
    }

    /** Moves the applied offset only when the best estimate strays from it, so resent batches keep their rows. */
    private void applyOffset(AgentConnection conn) {
        String id = conn.authenticated;
        if (!conn.clock.measured() || id == null) return;
        long next = AgentClock.sticky(conn.appliedOffset, conn.clock.bestOffset());
        if (next != conn.appliedOffset || servers.clockOffset(id).isEmpty()) {
            if (next != conn.appliedOffset) {
                log.info("Agent clock of server {} is {} ms {} the hub's; its snapshots are stored at hub time", id,
                        Math.abs(next), next >= 0 ? "ahead of" : "behind");
            }
            conn.appliedOffset = next;
            servers.recordClockOffset(id, next);
        }
    }

    /** Authenticated and measured (or given up on measuring): the agent may send. */
    private void ready(AgentConnection conn) {
        synchronized (conn) { // the probe's answer (socket thread) and the sweep's deadline may race: one ready only
            readyOnce(conn);
        }
    }

    private void readyOnce(AgentConnection conn) {
        String id = conn.authenticated;
        if (id == null || conn.serverId != null) return;
        if (!conn.clock.measured() && conn.oneWayOffset != null && servers.clockOffset(id).isEmpty()) {
            // An agent that does not answer probes: its auth clock is the only estimate there is.
            long next = AgentClock.sticky(0, conn.oneWayOffset);
            conn.appliedOffset = next;
            if (next != 0) servers.recordClockOffset(id, next);
        }
        conn.serverId = id;
        conn.send("{\"type\":\"ready\",\"serverId\":\"" + id + "\",\"clockOffsetMs\":" + conn.appliedOffset + "}");
        log.info("Agent connected for server {}", id);
        events.hub("info", "Agent connected", null, "server:" + id, id);
    }

    private record Refusal(long ts, String code, String message) {}

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
        long offset = conn.appliedOffset;
        long newest = -1;
        List<Refusal> refused = new ArrayList<>();
        List<CompletableFuture<Void>> stored = new ArrayList<>(items.size());
        Set<Long> seen = new HashSet<>();
        for (JsonNode item : items) {
            long ts = AgentMessages.tsOf(item);
            newest = Math.max(newest, ts);
            String id = conn.serverId;
            if (id == null) return; // revoked mid-batch
            if (ts >= 0 && !seen.add(ts)) {
                refused.add(new Refusal(ts, "duplicate-ts", "another snapshot in this batch has the same ts"));
                continue;
            }
            try {
                stored.add(ingest.acceptKept(AgentMessages.snapshot(item, id, now, offset)));
            } catch (AgentMessages.Invalid e) {
                refused.add(new Refusal(ts, e.code, e.getMessage()));
            }
        }
        for (Refusal r : refused) meters.counter("flick.agent.refused", "code", r.code()).increment();
        long ackTs = newest;
        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).whenCompleteAsync((done, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "error");
                m.put("code", "storage-unavailable");
                m.put("message", "Not stored, keep it: " + cause.getMessage());
                m.put("retryMs", RETRY_STORAGE_MS);
                conn.send(json.writeValueAsString(m));
                return;
            }
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("type", "ack");
            ack.put("ts", ackTs); // before refused: the agent reads the first "ts" of the message
            if (!refused.isEmpty()) ack.put("refused", refused);
            conn.send(json.writeValueAsString(ack));
        }, acks);
    }

    /** The newest sample of an agent whose batches the hub cannot store now: shown live, not stored, not acknowledged. */
    private void live(AgentConnection conn, JsonNode item) {
        try {
            ingest.showLive(AgentMessages.snapshot(item, conn.serverId, System.currentTimeMillis(), conn.appliedOffset));
        } catch (AgentMessages.Invalid e) {
            conn.send(error("bad-snapshot", "live snapshot refused: " + e.getMessage()));
        }
    }

    private void logs(AgentConnection conn, JsonNode lines) {
        if (lines == null || !lines.isArray()) {
            conn.send(error("bad-message", "logs needs a lines array"));
            return;
        }
        if (lines.size() > MAX_LOG_LINES) {
            conn.send(error("too-large", "At most " + MAX_LOG_LINES + " log lines per message"));
            return;
        }
        long now = System.currentTimeMillis();
        int refused = 0;
        String firstProblem = null;
        for (JsonNode line : lines) {
            String id = conn.serverId;
            if (id == null) return; // revoked mid-batch
            try {
                events.append(AgentMessages.logLine(line, id, now, conn.appliedOffset)); // a full log buffer drops and counts, never waits
            } catch (AgentMessages.Invalid e) {
                refused++;
                if (firstProblem == null) firstProblem = e.getMessage();
            }
        }
        if (refused > 0) {
            conn.send(error("bad-log-line", refused + " of " + lines.size() + " log lines refused: " + firstProblem));
        }
        // Acknowledged whatever happened to each line: the agent must not resend what the hub has seen.
        conn.send("{\"type\":\"ack\",\"logs\":" + lines.size() + "}");
    }

    private void info(AgentConnection conn, JsonNode node) {
        try {
            HostInfo info = AgentMessages.hostInfo(node);
            String id = conn.serverId;
            // Stored aside: the socket's next batch must not wait for the database.
            acks.execute(() -> {
                try {
                    servers.updateInfo(id, info);
                } catch (RuntimeException e) {
                    log.debug("Host info of server {} not stored: {}", id, e.getMessage());
                }
            });
        } catch (AgentMessages.Invalid e) {
            conn.send(error("bad-info", e.getMessage()));
        }
    }

    private void refuse(AgentConnection conn, String code, String message) {
        meters.counter("flick.agent.refused", "code", code).increment();
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
                if (event.serverId().equals(c.serverId) || event.serverId().equals(c.authenticated)) {
                    c.serverId = null;
                    c.authenticated = null;
                    c.close(new CloseStatus(4401, "token revoked"));
                }
            }
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        AgentConnection conn = connections.remove(session.getId());
        String id = conn == null ? null : conn.serverId;
        if (id != null) {
            log.info("Agent for server {} disconnected ({})", id, status.getCode());
            boolean orderly = status.getCode() == CloseStatus.NORMAL.getCode() || status.getCode() == CloseStatus.GOING_AWAY.getCode();
            events.hub(orderly ? "info" : "warning", "Agent disconnected" + (orderly ? "" : " (" + status.getCode() + ")"), null,
                    "server:" + id, id);
        }
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
            if (c.authenticated == null && now - c.openedAt > AUTH_WITHIN_MS) c.close(UNAUTHORIZED);
            else if (c.serverId == null && c.authenticated != null && now >= c.readyBy) ready(c);
            else if (c.serverId != null && now - c.lastProbeAt >= PROBE_EVERY_MS) probe(c, now);
        }
    }

    int size() {
        return connections.size();
    }

    @jakarta.annotation.PreDestroy
    void shutdown() {
        connections.values().forEach(c -> c.close(CloseStatus.GOING_AWAY));
        acks.shutdown();
    }
}
