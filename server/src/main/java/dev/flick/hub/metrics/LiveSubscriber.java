package dev.flick.hub.metrics;

/** A live consumer of messages (a browser's WebSocket, later a NATS bridge). deliver must never block. */
public interface LiveSubscriber {

    /** Whether this subscriber wants messages about the server. */
    boolean wants(String serverId);

    /**
     * Hands over one ready-to-send JSON message about a server; {@code ts} is the snapshot time, or 0 for messages
     * that are not snapshots. Must not block the caller.
     */
    void deliver(String serverId, long ts, String json);

    /** Whether this subscriber tails the system logs of the server (null: the hub's own event log). */
    default boolean wantsLogs(String serverId) {
        return false;
    }

    /** The signed-in user this subscriber speaks for, or null: lets the hub reach one person's open sockets. */
    default String userId() {
        return null;
    }
}
