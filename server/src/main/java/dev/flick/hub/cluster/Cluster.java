package dev.flick.hub.cluster;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

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

    /**
     * Brings a collector's watches in line with ownership: stops each watched server that is gone or another hub's,
     * starts each server this hub owns and does not watch yet. Returns how many it started.
     */
    default int rebalance(Collection<String> servers, Collection<String> watched, Consumer<String> stop, Consumer<String> start) {
        Set<String> ids = new HashSet<>(servers);
        for (String id : List.copyOf(watched)) {
            if (!ids.contains(id) || !owns(id)) stop.accept(id);
        }
        int started = 0;
        for (String id : ids) {
            if (owns(id) && !watched.contains(id)) {
                start.accept(id);
                started++;
            }
        }
        return started;
    }

    /** The set of live hubs changed: collectors re-check {@link #owns} for their servers. */
    record HubsChanged(Set<String> liveHubs) {}
}
