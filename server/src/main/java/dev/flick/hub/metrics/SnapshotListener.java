package dev.flick.hub.metrics;

import dev.flick.collector.Snapshot;

/** Told of every snapshot on the ingest path, right after live fan-out. Must return quickly: it runs on the hot path. */
public interface SnapshotListener {

    void onSnapshot(Snapshot snapshot);
}
