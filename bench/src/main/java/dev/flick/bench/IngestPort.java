package dev.flick.bench;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.flick.collector.Snapshot;
import dev.flick.hub.metrics.Ingest;

/**
 * The ingest path as the benchmarks drive it, through reflection so the same benchmark runs against an earlier hub
 * build (bench/ingest-compare.sh): {@code acceptKept} (acknowledged once durable) where the hub has it, else
 * {@code accept} (acknowledged at once, as agents were before).
 */
final class IngestPort {

    record Stats(long written, long dropped, long backlog) {}

    private final Ingest ingest;
    private final Method kept;
    private final Method accept;
    private final Method stats;

    IngestPort(Ingest ingest) throws NoSuchMethodException {
        this.ingest = ingest;
        Method k;
        try {
            k = Ingest.class.getMethod("acceptKept", Snapshot.class);
        } catch (NoSuchMethodException e) {
            k = null;
        }
        this.kept = k;
        this.accept = Ingest.class.getMethod("accept", Snapshot.class);
        this.stats = Ingest.class.getMethod("stats");
    }

    boolean acknowledgesDurably() {
        return kept != null;
    }

    /** Offers a snapshot; {@code done} hears whether it failed, once the hub says it is safe (at once on an old hub). */
    @SuppressWarnings("unchecked")
    void offer(Snapshot s, Consumer<Boolean> done) {
        try {
            if (kept != null) {
                ((CompletableFuture<Void>) kept.invoke(ingest, s)).whenComplete((v, e) -> done.accept(e != null));
            } else {
                accept.invoke(ingest, s);
                done.accept(false);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    Stats stats() {
        try {
            Object st = stats.invoke(ingest);
            return new Stats(number(st, "written"), number(st, "dropped"), number(st, "backlog"));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long number(Object record, String name) throws ReflectiveOperationException {
        Method m = record.getClass().getMethod(name);
        m.setAccessible(true);
        return ((Number) m.invoke(record)).longValue();
    }
}
