package dev.flick.hub.live;

import java.util.List;
import java.util.Map;

import dev.flick.collector.SnapshotJson;

/**
 * Everything the hub sends a browser on /api/v1/ws: a closed set, written to JSON by {@link LiveJson} only
 * (docs/live-protocol.md). {@link Addressed} messages go through {@link LiveHub} to whoever their address reaches;
 * the rest belong to one connection (its handshake, heartbeat, errors and flow control).
 */
public sealed interface LiveMessage {

    /** A message routed by the hub to the subscribers its address reaches. */
    sealed interface Addressed extends LiveMessage {
        Address to();
    }

    /**
     * A server's sample. {@code json} is the whole message ({@code {"type":"snapshot",…}}) written once by
     * {@link SnapshotJson} on ingest and embedded as it is, never serialised again per viewer.
     */
    record Snapshot(String serverId, long ts, String json) implements Addressed {
        public static Snapshot of(dev.flick.collector.Snapshot s) {
            return new Snapshot(s.serverId(), s.ts(), SnapshotJson.write(s, "type", "snapshot"));
        }

        @Override
        public Address to() {
            return new Address.Server(serverId);
        }
    }

    /** A server's status changed (online, offline, pending, error); reason is readable text or null. */
    record Status(String serverId, String status, long ts, String reason, String reasonCode, Map<String, Object> reasonParams)
            implements Addressed {
        /** A status with an English reason only (no code for the client to translate). */
        public Status(String serverId, String status, long ts, String reason) {
            this(serverId, status, ts, reason, null, null);
        }

        @Override
        public Address to() {
            return new Address.Server(serverId);
        }
    }

    /** An alert event opened, changed or was acknowledged; {@code event} is the alert module's event record. */
    record Alert(String serverId, Object event) implements Addressed {
        @Override
        public Address to() {
            return new Address.Server(serverId);
        }
    }

    /** An in-app notification for one user; {@code item} is the notify module's inbox item. */
    record Notification(String userId, Object item) implements Addressed {
        @Override
        public Address to() {
            return new Address.User(userId);
        }
    }

    /** One stored log line; serverId null for the hub's own events. Optional fields are null when absent. */
    record Log(String serverId, long ts, String source, String level, String unit, String message, String actor,
               String target) implements Addressed {
        @Override
        public Address to() {
            return new Address.Logs(serverId);
        }
    }

    /** The socket is authenticated as this user. */
    record Ready(User user) implements LiveMessage {
        public record User(String id, String email, String role) {}
    }

    /** Heartbeat: the client answers {@code {"type":"pong","ts":…}}. */
    record Ping(long ts) implements LiveMessage {}

    /** A refused client message (the socket stays open). */
    record Error(String code, String message) implements LiveMessage {}

    /**
     * The viewer fell behind and was sent only each server's newest snapshot for a while: {@code skipped} older
     * snapshots (and {@code logsSkipped} log lines) were left out; what follows is live again. A chart that wants the
     * gap reads it from history.
     */
    record Coalesced(long ts, long skipped, long logsSkipped) implements LiveMessage {}

    /** A few numbers per server for an overview, at most once a second: only servers that changed since the last. */
    record Summary(long ts, List<ServerSummary> servers) implements LiveMessage {}

    /** What an overview card draws; status null when the hub has not stated one since it started. */
    record ServerSummary(String serverId, long ts, double cpu, long memUsed, long memTotal, long diskUsed,
                         long diskTotal, double netRxBps, double netTxBps, String status) {

        public static ServerSummary of(dev.flick.collector.Snapshot s, String status) {
            long used = 0;
            long total = 0;
            if (s.disks() != null) {
                for (var d : s.disks()) {
                    used += d.used();
                    total += d.total();
                }
            }
            return new ServerSummary(s.serverId(), s.ts(), s.cpu() == null ? 0 : s.cpu().usage(),
                    s.memory() == null ? 0 : s.memory().used(), s.memory() == null ? 0 : s.memory().total(), used, total,
                    s.network() == null ? 0 : s.network().rxBps(), s.network() == null ? 0 : s.network().txBps(), status);
        }
    }
}
