package dev.flick.hub.live;

/** A live consumer of messages (a browser's WebSocket, later a bridge to other hubs). deliver must never block. */
public interface LiveSubscriber {

    /** Whether this subscriber wants messages sent to the address (checked for every message). */
    boolean wants(Address to);

    /** Hands over one message and its JSON, serialised once for every subscriber. Must not block the caller. */
    void deliver(LiveMessage.Addressed message, String json);
}
