package dev.flick.hub.cluster;

import java.util.Set;

/** One hub alone (no FLICK_NATS_URL): it owns every server, as before clusters existed. */
final class SingleHub implements Cluster {

    private final String hubId;

    SingleHub(String hubId) {
        this.hubId = hubId;
    }

    @Override
    public String hubId() {
        return hubId;
    }

    @Override
    public Set<String> liveHubs() {
        return Set.of(hubId);
    }

    @Override
    public boolean owns(String serverId) {
        return true;
    }
}
