package dev.flick.hub.live;

/**
 * How the ring keeps a snapshot message compact (the storage module's deflate with its dictionary), so the ring's
 * compact form and the stored detail are one and the same bytes.
 */
public interface SnapshotCodec {

    byte[] compact(String json);

    String expand(byte[] compact);

    /** The snapshot in a snapshot message's JSON (one relayed from another hub), as server {@code serverId}. */
    default dev.flick.collector.Snapshot read(String serverId, String json) {
        throw new UnsupportedOperationException("This codec reads no snapshots");
    }
}
