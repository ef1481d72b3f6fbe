package dev.flick.hub.live;

/**
 * How the ring keeps a snapshot message compact (the storage module's deflate with its dictionary), so the ring's
 * compact form and the stored detail are one and the same bytes.
 */
public interface SnapshotCodec {

    byte[] compact(String json);

    String expand(byte[] compact);
}
