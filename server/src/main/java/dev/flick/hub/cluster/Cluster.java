package dev.flick.hub.cluster;

import java.util.Set;

/** The hubs that are one FLick, as seen by this hub. */
public interface Cluster {

    /** This hub's id, unique among live hubs. */
    String hubId();

    /** The hubs alive now (this one included). */
    Set<String> liveHubs();

    /**
     * Whether this hub collects a server it reaches itself (SSH, Prometheus): the rendezvous-hash winner over the live
     * hubs. Agent servers are collected by whichever hub holds the agent's socket and never ask.
     */
    boolean owns(String serverId);

    /** The set of live hubs changed: collectors re-check {@link #owns} for their servers. */
    record HubsChanged(Set<String> liveHubs) {}
}
