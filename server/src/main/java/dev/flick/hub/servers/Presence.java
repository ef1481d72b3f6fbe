package dev.flick.hub.servers;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.FlickSettings;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.live.LiveMessage;
import dev.flick.hub.metrics.SnapshotListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Knows which servers are online: a snapshot makes a server online, three missed intervals make it offline.
 * Transitions are stored and pushed to live subscribers as {@code status} messages; last-seen times are kept
 * in memory and written to the database every 30 s rather than on every snapshot.
 */
@Component
public class Presence implements SnapshotListener {

    private static final Logger log = LoggerFactory.getLogger(Presence.class);

    private final ServerRepository servers;
    private final LiveHub live;
    private final long offlineAfter;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    private static final class State {
        volatile long lastSeen;
        volatile String status;
        volatile String reason;
        volatile StatusReason coded;
        volatile long persistedSeen;
        volatile long offlineAfter;

        State(String status, long lastSeen) {
            this.status = status;
            this.lastSeen = lastSeen;
        }
    }

    Presence(ServerRepository servers, LiveHub live, FlickSettings settings) {
        this.servers = servers;
        this.live = live;
        this.offlineAfter = 3 * settings.intervalMillis();
    }

    @Override
    public void onSnapshot(Snapshot s) {
        State state = state(s.serverId());
        long now = System.currentTimeMillis();
        state.lastSeen = Math.max(state.lastSeen, Math.min(s.ts(), now));
        if (!"online".equals(state.status) && now - s.ts() < state.offlineAfter) {
            change(s.serverId(), state, "online", null, null);
        }
    }

    /** Marks a server as failing with a readable reason (unreachable host, refused key…). */
    public void error(String serverId, String reason) {
        change(serverId, state(serverId), "error", reason, null);
    }

    /** Marks a server as failing with a coded reason the client renders in its user's language. */
    public void error(String serverId, StatusReason reason) {
        change(serverId, state(serverId), "error", reason.text(), reason);
    }

    /** Back to waiting for a first snapshot (new server, new credentials, accepted host key), with a reason if any. */
    public void pending(String serverId, String reason) {
        change(serverId, state(serverId), "pending", reason, null);
    }

    /** Waiting, with a coded reason (a first host key to confirm) the client renders in its user's language. */
    public void pending(String serverId, StatusReason reason) {
        change(serverId, state(serverId), "pending", reason.text(), reason);
    }

    /**
     * A collector that samples at its own pace (an agent started with --interval 10s) is offline only after three of
     * its own intervals, not the hub's.
     */
    public void expectEvery(String serverId, long intervalMillis) {
        state(serverId).offlineAfter = 3 * Math.max(intervalMillis, 100);
    }

    private State state(String serverId) {
        return states.computeIfAbsent(serverId, id -> {
            State s = new State("pending", 0);
            s.offlineAfter = offlineAfter;
            return s;
        });
    }

    public String status(String serverId, String stored) {
        State state = states.get(serverId);
        return state == null ? stored : state.status;
    }

    public String reason(String serverId, String stored) {
        State state = states.get(serverId);
        return state == null ? stored : state.reason;
    }

    /** The coded form of the current reason, when this hub set it (not after a restart, where only the text is stored). */
    public StatusReason codedReason(String serverId) {
        State state = states.get(serverId);
        return state == null ? null : state.coded;
    }

    public Long lastSeen(String serverId, Long stored) {
        State state = states.get(serverId);
        return state == null || state.lastSeen == 0 ? stored : Long.valueOf(state.lastSeen);
    }

    public void forget(String serverId) {
        states.remove(serverId);
        unsaved.remove(serverId);
    }

    @Scheduled(fixedDelay = 1_000)
    void markSilentOffline() {
        long now = System.currentTimeMillis();
        states.forEach((id, state) -> {
            if ("online".equals(state.status) && now - state.lastSeen > state.offlineAfter) {
                long seconds = (now - state.lastSeen) / 1000;
                change(id, state, "offline", "No data for " + seconds + " s",
                        StatusReason.of(StatusReason.Code.NO_DATA, java.util.Map.of("seconds", seconds), "No data for " + seconds + " s"));
            }
        });
    }

    @Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
    void persistLastSeen() {
        Map<String, Long> changed = new HashMap<>();
        states.forEach((id, state) -> {
            if (state.lastSeen > state.persistedSeen) {
                changed.put(id, state.lastSeen);
                state.persistedSeen = state.lastSeen;
            }
        });
        if (!changed.isEmpty()) servers.touch(changed);
    }

    private record StatusRow(String status, String reason, Long lastSeen) {}

    /** Status changes not stored yet, the newest per server: written in the background, never on the ingest path. */
    private final Map<String, StatusRow> unsaved = new ConcurrentHashMap<>();

    @Scheduled(fixedDelay = 1_000, initialDelay = 1_000)
    void saveStatus() {
        for (Map.Entry<String, StatusRow> e : Map.copyOf(unsaved).entrySet()) {
            StatusRow row = e.getValue();
            servers.updateStatus(e.getKey(), row.status(), row.reason(), row.lastSeen()); // a failure is retried next second
            unsaved.remove(e.getKey(), row);
        }
    }

    private synchronized void change(String id, State state, String status, String reason, StatusReason coded) {
        if (status.equals(state.status) && java.util.Objects.equals(reason, state.reason)) return;
        state.status = status;
        state.reason = reason;
        state.coded = coded;
        long ts = System.currentTimeMillis();
        unsaved.put(id, new StatusRow(status, reason, state.lastSeen == 0 ? null : state.lastSeen));
        live.send(new LiveMessage.Status(id, status, ts, reason, coded == null ? null : coded.code().code(),
                coded == null ? null : coded.params()));
        log.info("Server {} is {}{}", id, status, reason == null ? "" : " (" + reason + ")");
    }
}
