package dev.flick.hub.servers;

/** What changed about a server, published so the collectors follow without the servers module knowing them. */
public sealed interface ServerEvents {

    String serverId();

    /** Deleted: stop collecting, close its agent socket. */
    record Removed(String serverId) implements ServerEvents {}

    /** Its agent token was replaced or withdrawn: close any socket that authenticated with the old one. */
    record AgentTokenRevoked(String serverId) implements ServerEvents {}

    /** Created, edited, given new credentials, or a changed host key was accepted: (re)start its SSH session. */
    record SshTargetChanged(String serverId) implements ServerEvents {}

    /** A prometheus server was created or its node_exporter URL or allowance changed: (re)start its scraping. */
    record ScrapeTargetChanged(String serverId) implements ServerEvents {}
}
