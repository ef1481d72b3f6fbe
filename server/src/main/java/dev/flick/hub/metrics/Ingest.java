package dev.flick.hub.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.flick.collector.Snapshot;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.config.DataDir;
import dev.flick.hub.config.Database;
import dev.flick.hub.config.FlickSettings;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one path every snapshot takes, whatever collected it: the live hub and its viewers first, then the listeners
 * (presence, alerts) for snapshots newer than any seen before, then the {@link Spool}, from which the writer stores it.
 * Nothing here waits for the database; an agent's snapshot is safe once the spool has it on disk (docs/durability.md).
 */
@Component
public class Ingest {

    private static final Logger log = LoggerFactory.getLogger(Ingest.class);

    /** The hub cannot take a snapshot into storage now; whoever sent it must keep it and try again. */
    public static final class StorageUnavailable extends RuntimeException {
        StorageUnavailable(String reason) {
            super(reason, null, false, false);
        }
    }

    private final LiveHub live;
    private final Spool spool;
    private final MetricsWriter writer;
    private final ObjectProvider<SnapshotListener> listeners;
    private final ObjectProvider<StoredSnapshotListener> storedListeners;
    private final MeterRegistry meters;
    private final Map<String, Counter> droppedByReason = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtomicLong>> droppedByServer = new ConcurrentHashMap<>();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final Map<String, Long> dropEpisode = new ConcurrentHashMap<>();
    private volatile List<SnapshotListener> resolved;

    Ingest(LiveHub live, JdbcTemplate jdbc, TransactionTemplate tx, Database db, FlickSettings settings, DataDir dataDir,
           ObjectProvider<SnapshotListener> listeners, ObjectProvider<StoredSnapshotListener> storedListeners,
           MeterRegistry meters, Partitions partitions) {
        this.live = live;
        this.listeners = listeners;
        this.storedListeners = storedListeners;
        this.meters = meters;
        this.spool = new Spool(dataDir.root().resolve("spool"), settings.spoolMax().toBytes(), settings.memoryBacklog().toBytes(),
                settings.minFree().toBytes(), this::dropped);
        this.writer = new MetricsWriter(spool, jdbc, tx, db, partitions, 2 * settings.intervalMillis() + 1_000, this::dropped);
        Gauge.builder("flick.ingest.written", writer, MetricsWriter::written).register(meters);
        Gauge.builder("flick.ingest.backlog", spool, Spool::backlog).description("Snapshots accepted, not yet in the database").register(meters);
        Gauge.builder("flick.ingest.spool.bytes", spool, Spool::bytesOnDisk).register(meters);
    }

    /** A snapshot from the hub's own collection (this host, SSH): nobody else keeps it, so it is never refused. */
    public void accept(Snapshot snapshot) {
        ingest(snapshot, Spool.Origin.HUB);
    }

    /**
     * A snapshot whose sender keeps it until told it is safe (an agent): the future completes once it is on the
     * hub's disk, or fails with {@link StorageUnavailable} when the hub cannot store it now.
     */
    public CompletableFuture<Void> acceptKept(Snapshot snapshot) {
        return ingest(snapshot, Spool.Origin.AGENT);
    }

    /** Shown live and evaluated, never stored: what an agent sends while the hub cannot store its snapshots. */
    public void showLive(Snapshot snapshot) {
        if (live.publish(snapshot).fresh()) notifyListeners(snapshot);
    }

    private CompletableFuture<Void> ingest(Snapshot snapshot, Spool.Origin origin) {
        // The message is written once for the viewers; its compact form is the stored detail as it is.
        LiveHub.Published published = live.publish(snapshot);
        byte[] detail = published.compact();
        // Back-fill and resent batches are stored, but presence and alerts only hear of what is new.
        if (published.fresh()) notifyListeners(snapshot);
        for (StoredSnapshotListener l : storedListeners()) l.onStored(snapshot);
        return spool.append(SpoolRecord.of(snapshot, detail), origin);
    }

    private void notifyListeners(Snapshot snapshot) {
        for (SnapshotListener l : listeners()) {
            l.onSnapshot(snapshot);
        }
    }

    /** Counts a snapshot the hub had to give up, by reason and server; logged once per reason and minute. */
    private void dropped(String serverId, String reason) {
        droppedByReason.computeIfAbsent(reason, r -> Counter.builder("flick.ingest.dropped").tag("reason", r)
                .description("Snapshots not stored: a documented bound was exceeded (docs/durability.md)").register(meters)).increment();
        droppedByServer.computeIfAbsent(serverId, id -> new ConcurrentHashMap<>()).computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        long total = droppedTotal.incrementAndGet();
        long now = System.currentTimeMillis();
        Long last = dropEpisode.get(reason);
        if (last == null || now - last > 60_000) {
            dropEpisode.put(reason, now);
            log.error("Snapshots are being dropped ({}): {} so far; see /actuator/health and docs/durability.md", reason, total);
        }
    }

    /** Stops keeping live state for a removed server. */
    public void forget(String serverId) {
        live.forget(serverId);
    }

    /**
     * Forgets a deleted server and deletes its stored snapshots and rollups; completes once they are gone.
     * Snapshots of it still in the spool are never written.
     */
    public CompletableFuture<Void> remove(String serverId) {
        forget(serverId);
        return writer.remove(serverId);
    }

    public Stats stats() {
        return new Stats(writer.written(), droppedTotal.get(), spool.backlog(), writer.failedBatches());
    }

    /** What the write path has done: rows written, snapshots dropped, waiting now, failed attempts. */
    public record Stats(long written, long dropped, long backlog, long failedBatches) {}

    /** The write path's state for health and the admin's storage screen. */
    public IngestStatus status() {
        Map<String, Long> byReason = new java.util.TreeMap<>();
        droppedByReason.forEach((r, c) -> byReason.put(r, (long) c.count()));
        List<IngestStatus.ServerDrops> byServer = new java.util.ArrayList<>();
        droppedByServer.forEach((id, m) -> m.forEach((r, n) -> byServer.add(new IngestStatus.ServerDrops(id, r, n.get()))));
        return new IngestStatus(writer.failingSince(), writer.lastError(), writer.lastWriteMillis(), spool.dir().getParent(),
                spool.freeBytes(), spool.minFreeBytes(), spool.outOfSpace(), spool.blockedReason(), spool.bytesOnDisk(),
                spool.backlog(), writer.written(), droppedTotal.get(), byReason, byServer);
    }

    private volatile List<StoredSnapshotListener> resolvedStored;

    private List<StoredSnapshotListener> storedListeners() {
        List<StoredSnapshotListener> l = resolvedStored;
        if (l == null) {
            l = storedListeners.orderedStream().toList();
            resolvedStored = l;
        }
        return l;
    }

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
        spool.close();
    }
}
