package dev.flick.hub.metrics;

import java.util.List;

import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;
import dev.flick.hub.config.Database;
import dev.flick.hub.config.FlickSettings;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one path every snapshot takes, whatever collected it: live hub and fan-out first, then the batch writer,
 * the rollups and the listeners (presence, alerts). Nothing here waits for the database.
 */
@Component
public class Ingest {

    private final LiveHub live;
    private final MetricsWriter writer;
    private final Rollups rollups;
    private final ObjectProvider<SnapshotListener> listeners;
    private volatile List<SnapshotListener> resolved;

    Ingest(LiveHub live, JdbcTemplate jdbc, TransactionTemplate tx, Database db, FlickSettings settings,
           ObjectProvider<SnapshotListener> listeners, MeterRegistry meters) {
        this.live = live;
        this.listeners = listeners;
        this.rollups = new Rollups(2 * settings.intervalMillis() + 1_000);
        this.writer = new MetricsWriter(jdbc, tx, db, rollups, live, settings.writeQueue());
        Gauge.builder("flick.ingest.dropped", writer, MetricsWriter::dropped)
                .description("Snapshots not stored because the database fell behind").register(meters);
        Gauge.builder("flick.ingest.written", writer, MetricsWriter::written).register(meters);
        Gauge.builder("flick.ingest.backlog", writer, MetricsWriter::backlog).register(meters);
    }

    public void accept(Snapshot snapshot) {
        String json = SnapshotJson.write(snapshot, "type", "snapshot");
        live.publish(snapshot, json);
        writer.offer(snapshot, json);
        rollups.add(snapshot, json);
        for (SnapshotListener l : listeners()) {
            l.onSnapshot(snapshot);
        }
    }

    /** Stops keeping live and rollup state for a removed server. */
    public void forget(String serverId) {
        live.forget(serverId);
        rollups.forget(serverId);
    }

    /**
     * Forgets a deleted server and deletes its stored snapshots and rollups; completes once they are gone.
     * Snapshots of it still queued are never written.
     */
    public java.util.concurrent.CompletableFuture<Void> remove(String serverId) {
        forget(serverId);
        return writer.remove(serverId);
    }

    public Stats stats() {
        return new Stats(writer.written(), writer.dropped(), writer.backlog(), writer.failedBatches());
    }

    /** What the writer has done: rows written, snapshots dropped, waiting now, failed batches. */
    public record Stats(long written, long dropped, int backlog, long failedBatches) {}

    private List<SnapshotListener> listeners() {
        List<SnapshotListener> l = resolved;
        if (l == null) {
            l = listeners.orderedStream().toList();
            resolved = l;
        }
        return l;
    }

    @PreDestroy
    void close() {
        writer.close();
    }
}
