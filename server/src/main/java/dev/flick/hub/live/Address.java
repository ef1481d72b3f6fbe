package dev.flick.hub.live;

/** Whom a live message is for: those watching a server, one user's sockets, or those tailing a server's logs. */
public sealed interface Address {

    /** Subscribers of a server (its snapshots, status, alerts). */
    record Server(String serverId) implements Address {}

    /** Every socket one signed-in user has open (in-app notifications). */
    record User(String userId) implements Address {}

    /** Subscribers tailing a server's system logs; serverId null is the hub's own event log. */
    record Logs(String serverId) implements Address {}
}
