package dev.flick.hub.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleQueueTest {

    @TempDir
    Path dir;
    final Map<String, Long> dropped = new ConcurrentHashMap<>();

    SampleQueue open(long maxBytes, long maxAge) {
        return new SampleQueue(dir, maxBytes, maxAge, (r, n) -> dropped.merge(r, n, Long::sum));
    }

    @Test
    void unsentRecordsSurviveAReopenAndSentOnesDoNotComeBack() throws Exception {
        long now = System.currentTimeMillis();
        try (SampleQueue q = open(1 << 30, 3_600_000)) {
            for (int i = 0; i < 10; i++) q.append(now + i, 3, new byte[] {(byte) i});
            q.sync();
            SampleQueue.Batch b = q.read(4, 1 << 20, now);
            assertThat(b.series()).hasSize(4);
            q.commit(b);
            assertThat(q.queuedSamples()).isEqualTo(18);
        }
        try (SampleQueue q = open(1 << 30, 3_600_000)) {
            assertThat(q.queuedRecords()).isEqualTo(6);
            assertThat(q.oldestTs()).hasValue(now + 4);
            SampleQueue.Batch b = q.read(100, 1 << 20, now);
            assertThat(b.series()).extracting(s -> (int) s[0]).containsExactly(4, 5, 6, 7, 8, 9);
            q.commit(b);
            assertThat(q.queuedRecords()).isZero();
        }
        assertThat(dropped).isEmpty();
    }

    @Test
    void aTornTailIsCutOnOpen() throws Exception {
        long now = System.currentTimeMillis();
        try (SampleQueue q = open(1 << 30, 3_600_000)) {
            q.append(now, 1, new byte[] {1, 2, 3});
            q.append(now + 1, 1, new byte[] {4, 5, 6});
            q.sync();
        }
        Path seg;
        try (Stream<Path> s = Files.list(dir)) {
            seg = s.filter(p -> p.toString().endsWith(".seg")).filter(p -> p.toFile().length() > 0).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 2);
        }
        try (SampleQueue q = open(1 << 30, 3_600_000)) {
            assertThat(q.queuedRecords()).isEqualTo(1);
            q.append(now + 2, 1, new byte[] {7});
            assertThat(q.read(10, 1 << 20, now).series()).extracting(b -> (int) b[0]).containsExactly(1, 7);
        }
    }

    @Test
    void pastTheByteBoundTheOldestSegmentIsDroppedAndCounted() throws Exception {
        long now = System.currentTimeMillis();
        byte[] big = new byte[1 << 20];
        try (SampleQueue q = open(3 * SampleQueue.SEGMENT_BYTES, 3_600_000)) {
            for (int i = 0; i < 20; i++) {
                big[0] = (byte) i;
                q.append(now + i, 10, big);
            }
            assertThat(q.bytesOnDisk()).isLessThanOrEqualTo(3 * SampleQueue.SEGMENT_BYTES);
            long left = q.queuedSamples();
            assertThat(dropped.get("bytes")).isEqualTo(200 - left);
            SampleQueue.Batch b = q.read(1, 1 << 30, now);
            assertThat((int) b.series().getFirst()[0]).isEqualTo(20 - (int) (left / 10));
        }
    }

    @Test
    void recordsPastTheAgeBoundAreSkippedAndCounted() throws Exception {
        long now = System.currentTimeMillis();
        try (SampleQueue q = open(1 << 30, 60_000)) {
            q.append(now - 120_000, 5, new byte[] {1});
            q.append(now, 5, new byte[] {2});
            SampleQueue.Batch b = q.read(10, 1 << 20, now);
            assertThat(b.series()).hasSize(1);
            q.commit(b);
            assertThat(dropped).containsEntry("age", 5L);
            assertThat(q.queuedSamples()).isZero();
        }
    }
}
