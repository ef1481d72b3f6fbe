package dev.flick.hub.metrics;

import dev.flick.hub.live.SnapshotCodec;

import org.springframework.stereotype.Component;

/** The live ring's compact form is the stored detail: deflated with the snapshot dictionary ({@link Deflate}). */
@Component
class SnapshotCompression implements SnapshotCodec {

    @Override
    public byte[] compact(String json) {
        return Deflate.compress(json);
    }

    @Override
    public String expand(byte[] compact) {
        return Deflate.inflate(compact);
    }

    @Override
    public dev.flick.collector.Snapshot read(String serverId, String json) {
        return StoredSnapshot.fromJson(serverId, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
