package dev.flick.hub.metrics;

import dev.flick.collector.Snapshot;

/**
 * Told of every snapshot handed to the spool, fresh or back-filled (an agent's outage, a resent batch): what the hub
 * stores, for whoever forwards it elsewhere ({@code remotewrite}). {@link SnapshotListener} hears only fresh ones.
 * Must return quickly: it runs on the ingest path.
 */
public interface StoredSnapshotListener {

    void onStored(Snapshot snapshot);
}
