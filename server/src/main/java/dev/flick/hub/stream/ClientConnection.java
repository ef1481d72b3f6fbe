package dev.flick.hub.stream;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.flick.hub.auth.AuthenticatedUser;
import dev.flick.hub.metrics.LiveHub;
import dev.flick.hub.metrics.LiveSubscriber;
import dev.flick.hub.servers.ServerAccess;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One browser's socket. Messages queue in a bounded outbox drained by the connection's own virtual thread, so a
 * slow client never slows ingest; one whose outbox overflows is closed (it resumes with {@code since}).
 * A snapshot already sent is never sent again, which makes a replay racing live delivery safe.
 */
final class ClientConnection implements LiveSubscriber {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    static final int OUTBOX = 20_000;
    private static final String POISON = "";

    final WebSocketSession session;
    final long openedAt = System.currentTimeMillis();
    volatile AuthenticatedUser user;
    volatile long lastHeard = System.currentTimeMillis();

    private final BlockingQueue<String> outbox = new ArrayBlockingQueue<>(OUTBOX);
    private final Set<String> serverIds = ConcurrentHashMap.newKeySet();
    private volatile boolean allServers;
    private final Set<String> logServerIds = ConcurrentHashMap.newKeySet();
    private volatile boolean allLogs;
    private final Map<String, Long> lastSentTs = new HashMap<>();
    private volatile boolean closed;
    private final ServerAccess access;

    ClientConnection(WebSocketSession session, ServerAccess access) {
        this.session = session;
        this.access = access;
        Thread.ofVirtual().name("flick-ws-" + session.getId()).start(this::drain);
    }

    boolean authenticated() {
        return user != null;
    }

    @Override
    public boolean wants(String serverId) {
        // Access is checked on every message, so "*" means every server the user may see now, and a share that
        // is withdrawn stops the flow at once.
        return !closed && (allServers || serverIds.contains(serverId)) && access.canView(user, serverId);
    }

    @Override
    public String userId() {
        AuthenticatedUser u = user;
        return u == null || closed ? null : u.id();
    }

    @Override
    public boolean wantsLogs(String serverId) {
        if (closed || !(allLogs || (serverId != null && logServerIds.contains(serverId)))) return false;
        // The hub's own events (sign-ins, changes) are for admins; a server's lines for whoever may see it now.
        AuthenticatedUser u = user;
        return serverId == null ? u != null && u.admin() : access.canView(u, serverId);
    }

    void tailLogs(List<String> ids) {
        if (ids == null) allLogs = true;
        else logServerIds.addAll(ids);
    }

    void stopTailingLogs() {
        allLogs = false;
        logServerIds.clear();
    }

    @Override
    public synchronized void deliver(String serverId, long ts, String json) {
        if (ts > 0) {
            Long last = lastSentTs.get(serverId);
            if (last != null && ts <= last) return;
            lastSentTs.put(serverId, ts);
        }
        enqueue(json);
    }

    /** Subscribes and, under the same lock as live delivery, replays what the ring holds newer than since. */
    synchronized void subscribe(List<String> ids, long since, LiveHub live) {
        if (ids == null) allServers = true;
        else serverIds.addAll(ids);
        if (since <= 0) return;
        for (String id : ids == null ? live.serverIds() : Set.copyOf(ids)) {
            if (!access.canView(user, id)) continue;
            lastSentTs.putIfAbsent(id, since);
            for (LiveHub.Buffered b : live.replay(id, since)) {
                deliver(id, b.ts(), b.json());
            }
        }
    }

    synchronized void unsubscribe(List<String> ids) {
        if (ids == null) {
            allServers = false;
            serverIds.clear();
        } else {
            ids.forEach(serverIds::remove);
        }
    }

    void send(String json) {
        enqueue(json);
    }

    private void enqueue(String json) {
        if (closed) return;
        if (!outbox.offer(json)) {
            log.info("Closing a socket whose client fell {} messages behind", OUTBOX);
            close(new CloseStatus(4008, "too slow: reconnect with since"));
        }
    }

    void close(CloseStatus status) {
        if (closed) return;
        closed = true;
        outbox.clear();
        outbox.offer(POISON);
        try {
            session.close(status);
        } catch (IOException | RuntimeException e) {
            log.debug("Closing socket {}: {}", session.getId(), e.toString());
        }
    }

    boolean isClosed() {
        return closed || !session.isOpen();
    }

    private void drain() {
        try {
            while (!closed) {
                String msg = outbox.poll(5, TimeUnit.SECONDS);
                if (msg == null) {
                    if (!session.isOpen()) break;
                    continue;
                }
                if (msg == POISON) break;
                session.sendMessage(new TextMessage(msg));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.debug("Socket {} ended while sending: {}", session.getId(), e.toString());
            closed = true;
        }
    }
}
