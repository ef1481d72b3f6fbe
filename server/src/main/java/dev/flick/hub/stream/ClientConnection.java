package dev.flick.hub.stream;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.flick.hub.auth.AuthenticatedUser;
import dev.flick.hub.live.Address;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.live.LiveJson;
import dev.flick.hub.live.LiveMessage;
import dev.flick.hub.live.LiveSubscriber;
import dev.flick.hub.servers.ServerAccess;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One browser's socket, drained by its own virtual thread so a slow client never slows ingest. Two lanes: control
 * messages (ready, ping, error, status, alert, notification, the coalesced marker) always go first, then a due
 * summary, then data (snapshots,
 * log lines) queues behind them. A viewer that falls behind (5,000 data messages queued, or the oldest waiting over a
 * second) is slowed, not cut: from then on only each server's newest snapshot is kept (a newer one replaces the queued one in its place),
 * log lines are capped, and once the lane has drained a {@code coalesced} marker says what was left out.
 * A snapshot already sent is never sent again, which makes a replay racing live delivery safe.
 * A summary subscriber gets, at most once a second, the few numbers per server an overview draws, built when sent.
 */
final class ClientConnection implements LiveSubscriber {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    final WebSocketSession session;
    final long openedAt = System.currentTimeMillis();
    volatile AuthenticatedUser user;
    volatile long lastHeard = System.currentTimeMillis();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final Lanes lanes;
    private final Set<String> serverIds = ConcurrentHashMap.newKeySet();
    private volatile boolean allServers;
    private final Set<String> logServerIds = ConcurrentHashMap.newKeySet();
    private volatile boolean allLogs;
    private volatile boolean summaries;
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private boolean summaryDue;
    private final Map<String, Long> lastSentTs = new HashMap<>();
    private volatile boolean closed;
    private final ServerAccess access;
    private final LiveHub live;

    ClientConnection(WebSocketSession session, ServerAccess access, LiveHub live) {
        this(session, access, live, new Lanes(Lanes.COALESCE_AT, Lanes.MAX_LAG_NANOS, System::nanoTime));
    }

    ClientConnection(WebSocketSession session, ServerAccess access, LiveHub live, Lanes lanes) {
        this.session = session;
        this.access = access;
        this.live = live;
        this.lanes = lanes;
        Thread.ofVirtual().name("flick-ws-" + session.getId()).start(this::drain);
    }

    boolean authenticated() {
        return user != null;
    }

    @Override
    public boolean wants(Address to) {
        if (closed) return false;
        AuthenticatedUser u = user;
        return switch (to) {
            // Access is checked on every message, so "*" means every server the user may see now, and a share that
            // is withdrawn stops the flow at once.
            case Address.Server s -> (summaries || allServers || serverIds.contains(s.serverId())) && access.canView(u, s.serverId());
            case Address.User p -> u != null && u.id().equals(p.userId());
            // The hub's own events (sign-ins, changes) are for admins; a server's lines for whoever may see it now.
            case Address.Logs l -> (allLogs || (l.serverId() != null && logServerIds.contains(l.serverId())))
                    && (l.serverId() == null ? u != null && u.admin() : access.canView(u, l.serverId()));
        };
    }

    void tailLogs(List<String> ids) {
        if (ids == null) allLogs = true;
        else logServerIds.addAll(ids);
    }

    void stopTailingLogs() {
        allLogs = false;
        logServerIds.clear();
    }

    /** Summaries of every server the user may see; the first one, sent at once, holds them all. */
    void subscribeSummaries() {
        changed.addAll(live.serverIds());
        summaries = true;
        summaryDue();
    }

    void unsubscribeSummaries() {
        summaries = false;
        changed.clear();
    }

    /** Called once a second: the next summary goes out when the socket is free, built from the newest values then. */
    void summaryDue() {
        if (!summaries || changed.isEmpty()) return;
        lock.lock();
        try {
            summaryDue = true;
            ready.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void deliver(LiveMessage.Addressed message, String json) {
        boolean full = switch (message) {
            case LiveMessage.Snapshot s -> {
                if (summaries) changed.add(s.serverId());
                yield allServers || serverIds.contains(s.serverId());
            }
            case LiveMessage.Status s -> {
                // A summary carries the status, so a summary-only viewer is not sent each change (a fleet flapping
                // between online and offline would otherwise crowd its control lane).
                if (summaries) changed.add(s.serverId());
                yield allServers || serverIds.contains(s.serverId());
            }
            default -> true;
        };
        if (!full) return;
        lock.lock();
        try {
            if (message instanceof LiveMessage.Snapshot s) {
                Long last = lastSentTs.get(s.serverId());
                if (last != null && s.ts() <= last) return;
                lastSentTs.put(s.serverId(), s.ts());
            }
            enqueue(message, json);
        } finally {
            lock.unlock();
        }
    }

    /** Subscribes and, under the same lock as live delivery, replays what the ring holds newer than since. */
    void subscribe(List<String> ids, long since) {
        lock.lock();
        try {
            if (ids == null) allServers = true;
            else serverIds.addAll(ids);
            if (since <= 0) return;
            for (String id : ids == null ? live.serverIds() : Set.copyOf(ids)) {
                if (!access.canView(user, id)) continue;
                lastSentTs.putIfAbsent(id, since);
                for (LiveHub.Buffered b : live.replay(id, since)) {
                    deliver(new LiveMessage.Snapshot(id, b.ts(), b.json()), b.json());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    void unsubscribe(List<String> ids) {
        lock.lock();
        try {
            if (ids == null) {
                allServers = false;
                serverIds.clear();
            } else {
                ids.forEach(serverIds::remove);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A message for this socket alone (ready, ping, error): sent ahead of any queued data. */
    void send(LiveMessage message) {
        lock.lock();
        try {
            enqueue(message, LiveJson.write(message));
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(LiveMessage message, String json) {
        if (closed) return;
        if (!lanes.offer(message, json)) {
            // Control messages are few and small; this many unsent means the client stopped reading altogether.
            log.info("Closing a socket that read none of {} control messages", Lanes.CONTROL_MAX);
            closeLater(new CloseStatus(4008, "not reading: reconnect with since"));
            return;
        }
        ready.signal();
    }

    private void closeLater(CloseStatus status) {
        Thread.ofVirtual().start(() -> close(status));
    }

    void close(CloseStatus status) {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            lanes.clear();
            ready.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            session.close(status);
        } catch (IOException | RuntimeException e) {
            log.debug("Closing socket {}: {}", session.getId(), e.toString());
        }
    }

    boolean isClosed() {
        return closed || !session.isOpen();
    }

    /** Data messages waiting (for tests and the log line on close). */
    int queued() {
        lock.lock();
        try {
            return lanes.dataSize();
        } finally {
            lock.unlock();
        }
    }

    private String next() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                String control = lanes.pollControl();
                if (control != null) return control;
                if (summaryDue) {
                    summaryDue = false;
                    return null; // built outside the lock
                }
                String data = lanes.pollData();
                if (data != null) return data;
                if (!ready.await(5, TimeUnit.SECONDS) && !session.isOpen()) return "";
            }
            return "";
        } finally {
            lock.unlock();
        }
    }

    private String summary() {
        List<String> entries = new ArrayList<>();
        for (Iterator<String> it = changed.iterator(); it.hasNext(); ) {
            String id = it.next();
            it.remove();
            if (!access.canView(user, id)) continue;
            live.summaryEntry(id).ifPresent(entries::add);
        }
        return entries.isEmpty() ? null : LiveJson.summary(System.currentTimeMillis(), entries);
    }

    private void drain() {
        try {
            while (!closed) {
                String msg = next();
                if (msg == null) msg = summary();
                if (msg == null) continue;
                if (msg.isEmpty()) break;
                session.sendMessage(new TextMessage(msg));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.debug("Socket {} ended while sending: {}", session.getId(), e.toString());
            closed = true;
        }
    }

    /**
     * The outbox, guarded by the connection's lock. Data is kept in order under a sequence key; once coalescing,
     * snapshots are keyed by their server instead, so a newer one takes the queued one's place.
     */
    static final class Lanes {
        static final int COALESCE_AT = 5_000;
        static final long MAX_LAG_NANOS = 1_000_000_000L;
        static final int CONTROL_MAX = 10_000;
        static final int LOGS_MAX = 2_000;

        private final int coalesceAt;
        private final long maxLagNanos;
        private final java.util.function.LongSupplier nanos;
        private final ArrayDeque<String> control = new ArrayDeque<>();
        private LinkedHashMap<Object, Frame> data = new LinkedHashMap<>();
        private long seq;
        private int logs;
        private boolean coalescing;
        private long skipped;
        private long logsSkipped;

        private record Frame(LiveMessage message, String json, long queuedAt) {}

        /** Coalescing starts at coalesceAt data messages queued, or when the oldest has waited maxLagNanos. */
        Lanes(int coalesceAt, long maxLagNanos, java.util.function.LongSupplier nanos) {
            this.coalesceAt = coalesceAt;
            this.maxLagNanos = maxLagNanos;
            this.nanos = nanos;
        }

        private boolean behind(long now) {
            if (data.size() >= coalesceAt) return true;
            if (data.isEmpty()) return false;
            return now - data.values().iterator().next().queuedAt() > maxLagNanos;
        }

        /** False only when the control lane is full. */
        boolean offer(LiveMessage message, String json) {
            switch (message) {
                case LiveMessage.Snapshot s -> {
                    long now = nanos.getAsLong();
                    if (!coalescing && behind(now)) coalesce();
                    if (coalescing) {
                        Frame old = data.get(s.serverId());
                        // The newer value takes the queued one's place (and its turn).
                        if (old != null) skipped++;
                        data.put(s.serverId(), new Frame(message, json, old == null ? now : old.queuedAt()));
                    } else {
                        data.put(seq++, new Frame(message, json, now));
                    }
                }
                case LiveMessage.Log l -> {
                    long now = nanos.getAsLong();
                    if (!coalescing && behind(now)) coalesce();
                    if (coalescing && logs >= LOGS_MAX) {
                        logsSkipped++;
                    } else {
                        data.put(seq++, new Frame(message, json, now));
                        logs++;
                    }
                }
                default -> {
                    if (control.size() >= CONTROL_MAX) return false;
                    control.add(json);
                }
            }
            return true;
        }

        /** From now on one snapshot per server: the queue so far is folded to each server's newest. */
        private void coalesce() {
            coalescing = true;
            LinkedHashMap<Object, Frame> folded = new LinkedHashMap<>();
            for (Map.Entry<Object, Frame> e : data.entrySet()) {
                if (e.getValue().message() instanceof LiveMessage.Snapshot s) {
                    if (folded.put(s.serverId(), e.getValue()) != null) skipped++;
                } else {
                    folded.put(e.getKey(), e.getValue());
                }
            }
            data = folded;
        }

        String pollControl() {
            return control.poll();
        }

        String pollData() {
            Iterator<Frame> it = data.values().iterator();
            if (!it.hasNext()) return null;
            Frame f = it.next();
            it.remove();
            if (f.message() instanceof LiveMessage.Log) logs--;
            if (coalescing && data.isEmpty()) {
                // Caught up: every server's newest value is out; the marker follows it, then live again.
                coalescing = false;
                control.add(LiveJson.write(new LiveMessage.Coalesced(System.currentTimeMillis(), skipped, logsSkipped)));
                skipped = 0;
                logsSkipped = 0;
            }
            return f.json();
        }

        boolean coalescing() {
            return coalescing;
        }

        int dataSize() {
            return data.size();
        }

        void clear() {
            control.clear();
            data.clear();
            logs = 0;
        }
    }
}
