package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on real files: order, durability across reopen, torn tails, and what it refuses when it must. */
class SpoolTest {

    @TempDir
    Path dir;
    final List<String> drops = new CopyOnWriteArrayList<>();

    private Spool open(long maxBytes, long memoryBacklog, long segmentBytes) {
        return new Spool(dir, maxBytes, memoryBacklog, 0, (id, reason) -> drops.add(id + ":" + reason), segmentBytes);
    }

    private static SpoolRecord record(String server, long ts) {
        double[] values = new double[Series.ALL.length];
        values[0] = ts % 100;
        return new SpoolRecord(server, ts, values, 7, ("detail-" + ts).getBytes());
    }

    private static List<Long> readAll(Spool spool, boolean commit) {
        List<Long> out = new ArrayList<>();
        while (true) {
            Spool.Batch b = spool.read(100, 50);
            if (b.records().isEmpty()) break;
            b.records().forEach(r -> out.add(r.ts()));
            if (commit) spool.committed(b.end(), b.records().size(), b.bytes());
        }
        return out;
    }

    @Test
    void recordsAreReadBackInOrderWithTheirColumnsAcrossSegments() throws Exception {
        try (Spool spool = open(1 << 30, 1 << 20, 2_000)) {
            for (long ts = 1; ts <= 200; ts++) spool.append(record("s" + ts % 3, ts), Spool.Origin.AGENT).get(5, TimeUnit.SECONDS);
            Spool.Batch first = spool.read(1, 1_000);
            SpoolRecord r = first.records().getFirst();
            assertThat(r.serverId()).isEqualTo("s1");
            assertThat(r.ts()).isEqualTo(1);
            assertThat(r.processCount()).isEqualTo(7);
            assertThat(new String(r.detail())).isEqualTo("detail-1");
            assertThat(r.values()[0]).isEqualTo(1.0);
            List<Long> rest = readAll(spool, true);
            assertThat(rest).hasSize(199).isSorted().startsWith(2L).endsWith(200L);
            assertThat(segments()).as("small segments rotate").isGreaterThan(3);
        }
    }

    @Test
    void whatWasNotStoredIsReadAgainAfterAReopenAndWhatWasIsNot() throws Exception {
        try (Spool spool = open(1 << 30, 1 << 20, 4_000)) {
            for (long ts = 1; ts <= 100; ts++) spool.append(record("a", ts), Spool.Origin.HUB).get(5, TimeUnit.SECONDS);
            Spool.Batch b = spool.read(40, 1_000);
            assertThat(b.records()).hasSize(40);
            spool.committed(b.end(), 40, b.bytes());
        }
        try (Spool spool = open(1 << 30, 1 << 20, 4_000)) {
            assertThat(readAll(spool, true)).as("the 60 not yet stored, and only those").containsExactlyElementsOf(range(41, 100));
            spool.append(record("a", 101), Spool.Origin.HUB).get(5, TimeUnit.SECONDS);
            assertThat(readAll(spool, true)).containsExactly(101L);
        }
        assertThat(segments()).as("segments wholly stored are deleted").isLessThanOrEqualTo(2);
    }

    @Test
    void aTornLastRecordIsCutOffAtEveryByteAndTheSpoolStaysUsable() throws Exception {
        try (Spool spool = open(1 << 30, 1 << 20, 1 << 20)) {
            for (long ts = 1; ts <= 5; ts++) spool.append(record("t", ts), Spool.Origin.HUB).get(5, TimeUnit.SECONDS);
        }
        Path segment = lastSegment();
        byte[] whole = Files.readAllBytes(segment);
        int recordSize = whole.length / 5;
        for (int cut = 1; cut < recordSize; cut++) {
            Files.write(segment, java.util.Arrays.copyOf(whole, whole.length - cut));
            try (Spool spool = open(1 << 30, 1 << 20, 1 << 20)) {
                assertThat(readAll(spool, false)).as("cut %d bytes", cut).containsExactly(1L, 2L, 3L, 4L);
            }
            cleanNewSegments(segment);
        }
        // Garbage after the last whole record (a crash while the next record was written) is cut off too.
        Files.write(segment, whole);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 9, 9, 9}));
        }
        try (Spool spool = open(1 << 30, 1 << 20, 1 << 20)) {
            spool.append(record("t", 6), Spool.Origin.AGENT).get(5, TimeUnit.SECONDS);
            assertThat(readAll(spool, true)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        }
    }

    @Test
    void aDamagedRecordInAnOlderSegmentSkipsOnlyTheRestOfThatSegment() throws Exception {
        try (Spool spool = open(1 << 30, 1 << 20, 1_000)) {
            for (long ts = 1; ts <= 30; ts++) spool.append(record("d", ts), Spool.Origin.HUB).get(5, TimeUnit.SECONDS);
        }
        Path first;
        try (Stream<Path> files = Files.list(dir)) {
            first = files.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(first, bytes);
        try (Spool spool = open(1 << 30, 1 << 20, 1_000)) {
            List<Long> got = readAll(spool, true);
            assertThat(got).isSorted().endsWith(30L);
            assertThat(got.size()).isBetween(20, 29);
        }
    }

    @Test
    void overItsSizeBoundAgentsAreRefusedAtOnceAndHubSamplesWaitInMemory() throws Exception {
        try (Spool spool = open(3_000, 1 << 20, 1 << 20)) {
            int accepted = 0;
            for (long ts = 1; ts <= 100; ts++) {
                try {
                    spool.append(record("a", ts), Spool.Origin.AGENT).get(5, TimeUnit.SECONDS);
                    accepted++;
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(Ingest.StorageUnavailable.class).hasMessageContaining("maximum");
                    break;
                }
            }
            assertThat(accepted).isBetween(10, 99);
            assertThat(spool.blockedReason()).contains("maximum");
            CompletableFuture<Void> hub = spool.append(record("h", 1_000), Spool.Origin.HUB);
            assertThat(hub).as("a hub-side sample waits").isNotDone();
            assertThatThrownBy(() -> spool.append(record("a", 1_001), Spool.Origin.AGENT).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(Ingest.StorageUnavailable.class);
            readAll(spool, true); // the writer catches up
            hub.get(10, TimeUnit.SECONDS);
            assertThat(readAll(spool, true)).containsExactly(1_000L);
            assertThat(spool.blockedReason()).isNull();
            assertThat(drops).isEmpty();
        }
    }

    @Test
    void theMemoryBacklogDropsTheOldestHubSamplesAndCountsThem() throws Exception {
        try (Spool spool = open(2_000, 2_000, 1 << 20)) {
            // Fill to the size bound one record at a time, until one stays waiting: the appender now holds it, blocked.
            CompletableFuture<Void> held;
            long ts = 1;
            do {
                CompletableFuture<Void> next = spool.append(record("a", ts++), Spool.Origin.HUB);
                held = next;
                waitFor(() -> next.isDone() || spool.blockedReason() != null);
            } while (held.isDone());
            assertThat(spool.blockedReason()).contains("maximum");
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            for (long t = 1_000; t < 1_100; t++) waiting.add(spool.append(record("h", t), Spool.Origin.HUB));
            assertThat(drops).isNotEmpty().allMatch(d -> d.endsWith(":backlog-full"));
            assertThat(waiting.getFirst()).isCompletedExceptionally();
            assertThat(waiting.getLast()).isNotCompletedExceptionally();
            assertThat(held).as("the one the appender holds is not evicted").isNotDone();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 30 s");
            Thread.sleep(5);
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(i);
        return out;
    }

    private long segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }

    private Path lastSegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    private void cleanNewSegments(Path keep) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) if (!p.equals(keep)) Files.delete(p);
        }
    }
}
