package dev.flick.hub.stream;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.flick.hub.auth.AccessTokens;
import dev.flick.hub.auth.AuthenticatedUser;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.live.LiveMessage;
import dev.flick.hub.auth.SessionsEnded;
import dev.flick.hub.servers.ServerAccess;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The live protocol on /api/v1/ws: the first message authenticates (never a token in the URL), then the client
 * subscribes, optionally with {@code since} to resume from the ring buffer. Heartbeats both ways; silent or
 * unauthenticated sockets and expired tokens are closed with 4401.
 */
@Component
public class LiveSocketHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(LiveSocketHandler.class);
    static final CloseStatus UNAUTHORIZED = new CloseStatus(4401, "unauthorized");
    static final CloseStatus SESSION_ENDED = new CloseStatus(4401, "session ended");
    static final long AUTH_WITHIN_MS = 5_000;
    private final long pingEveryMs;
    private final int coalesceAt;
    static final long SILENT_CLOSE_MS = 45_000;

    private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();
    private final AccessTokens tokens;
    private final LiveHub live;
    private final ServerAccess access;
    private final ObjectMapper json;
    private volatile long lastPing;

    LiveSocketHandler(AccessTokens tokens, LiveHub live, ServerAccess access, ObjectMapper json,
                      @Value("${flick.live.ping-every:15s}") Duration pingEvery,
                      @Value("${flick.live.coalesce-at:" + ClientConnection.Lanes.COALESCE_AT + "}") int coalesceAt) {
        this.pingEveryMs = pingEvery.toMillis();
        this.coalesceAt = coalesceAt;
        this.tokens = tokens;
        this.live = live;
        this.access = access;
        this.json = json;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        connections.put(session.getId(), new ClientConnection(session, access, live,
                new ClientConnection.Lanes(coalesceAt, ClientConnection.Lanes.MAX_LAG_NANOS, System::nanoTime)));
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        ClientConnection conn = connections.get(session.getId());
        if (conn == null) return;
        conn.lastHeard = System.currentTimeMillis();
        ClientMessage msg;
        try {
            JsonNode node = json.readTree(message.getPayload());
            msg = ClientMessage.parse(node);
        } catch (JacksonException e) {
            rejectOrClose(conn, "bad-json", "Messages must be JSON objects");
            return;
        } catch (ClientMessage.Invalid e) {
            rejectOrClose(conn, e.code, e.getMessage());
            return;
        }
        if (!conn.authenticated() && !(msg instanceof ClientMessage.Auth)) {
            conn.close(UNAUTHORIZED);
            return;
        }
        switch (msg) {
            case ClientMessage.Auth auth -> authenticate(conn, auth.token());
            case ClientMessage.Subscribe sub -> subscribe(conn, sub);
            case ClientMessage.Unsubscribe unsub -> conn.unsubscribe(unsub.serverIds());
            case ClientMessage.Pong pong -> { /* lastHeard is already updated */ }
            case ClientMessage.SubscribeLogs logs -> tailLogs(conn, logs);
            case ClientMessage.UnsubscribeLogs stop -> conn.stopTailingLogs();
            case ClientMessage.SubscribeSummary summary -> conn.subscribeSummaries();
            case ClientMessage.UnsubscribeSummary stop -> conn.unsubscribeSummaries();
        }
    }

    private void authenticate(ClientConnection conn, String token) {
        Optional<AuthenticatedUser> user = tokens.verify(token);
        if (user.isEmpty()) {
            conn.close(UNAUTHORIZED);
            return;
        }
        boolean first = !conn.authenticated();
        if (!first && !conn.user.id().equals(user.get().id())) {
            conn.close(UNAUTHORIZED); // a socket speaks for one user for its whole life
            return;
        }
        conn.user = user.get();
        if (first) {
            live.subscribe(conn);
            AuthenticatedUser u = user.get();
            conn.send(new LiveMessage.Ready(new LiveMessage.Ready.User(u.id(), u.email(), u.role())));
        }
    }

    private void subscribe(ClientConnection conn, ClientMessage.Subscribe sub) {
        if (sub.serverIds() != null) {
            for (String id : sub.serverIds()) {
                if (!access.canView(conn.user, id)) {
                    conn.send(error("not-found", "Server not found: " + (id.length() > 64 ? id.substring(0, 64) : id)));
                    return;
                }
            }
        }
        conn.subscribe(sub.serverIds(), sub.since());
    }

    private void tailLogs(ClientConnection conn, ClientMessage.SubscribeLogs sub) {
        if (sub.serverIds() != null) {
            for (String id : sub.serverIds()) {
                if (!access.canView(conn.user, id)) {
                    conn.send(error("not-found", "Server not found: " + (id.length() > 64 ? id.substring(0, 64) : id)));
                    return;
                }
            }
        }
        conn.tailLogs(sub.serverIds());
    }

    private void rejectOrClose(ClientConnection conn, String code, String message) {
        if (!conn.authenticated()) {
            conn.close(UNAUTHORIZED);
        } else {
            conn.send(error(code, message));
        }
    }

    private static LiveMessage error(String code, String message) {
        return new LiveMessage.Error(code, message);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        ClientConnection conn = connections.remove(session.getId());
        if (conn != null) {
            live.unsubscribe(conn);
            conn.close(status);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("Socket {} transport error: {}", session.getId(), exception.toString());
    }

    /**
     * Closes sockets that never authenticated, fell silent or hold an expired token; pings the rest (ahead of any
     * data they have queued, so a viewer merely behind still answers in time) and lets summaries go out.
     */
    void sweep() {
        long now = System.currentTimeMillis();
        boolean ping = now - lastPing >= pingEveryMs;
        if (ping) lastPing = now;
        LiveMessage pingMessage = new LiveMessage.Ping(now);
        for (ClientConnection conn : connections.values()) {
            if (!conn.authenticated()) {
                if (now - conn.openedAt > AUTH_WITHIN_MS) conn.close(UNAUTHORIZED);
            } else if (conn.user.expiresAt() <= now) {
                conn.close(new CloseStatus(4401, "token expired"));
            } else if (!tokens.stillValid(conn.user)) {
                conn.close(SESSION_ENDED);
            } else if (now - conn.lastHeard > SILENT_CLOSE_MS) {
                conn.close(new CloseStatus(4408, "no heartbeat"));
            } else {
                if (ping) conn.send(pingMessage);
                conn.summaryDue();
            }
        }
    }

    /** Closes every socket of a user whose sessions ended (password change, sign out everywhere, disabled…). */
    @EventListener
    public void onSessionsEnded(SessionsEnded ended) {
        closeUser(ended.userId());
    }

    public void closeUser(String userId) {
        for (ClientConnection conn : connections.values()) {
            AuthenticatedUser u = conn.user;
            if (u != null && u.id().equals(userId)) conn.close(SESSION_ENDED);
        }
    }

    /** Closes every client socket; clients reconnect and resume with since. Used on shutdown and by tests. */
    public void closeAll(CloseStatus status) {
        connections.values().forEach(c -> c.close(status));
    }

    /**
     * The sweep has its own thread: Spring runs every fixed-delay job on one scheduler thread, and pings must not wait
     * behind a job that is busy with the database (status saves for a flapping fleet, last-seen writes).
     */
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("flick-live-sweep").daemon().factory());

    @jakarta.annotation.PostConstruct
    void startSweeping() {
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                log.warn("Live sweep failed, retried in a second: {}", e.toString());
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @jakarta.annotation.PreDestroy
    void shutdown() {
        sweeper.shutdownNow();
        closeAll(CloseStatus.GOING_AWAY);
    }

    public int size() {
        return connections.size();
    }
}
