package dev.flick.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's on-disk outbox on real files: restarts, torn writes, bounds, acknowledgements, refusals. */
class DiskOutboxTest {

    private static final long DAY = 86_400_000L;
    /** Small segments so that a few hundred records span several; the acknowledged position saved at every ack. */
    private static final DiskOutbox.Tuning SMALL = new DiskOutbox.Tuning(4 * 1024, 3_600_000, 5_000, 0, 20);

    @TempDir
    Path tmp;

    /** A snapshot-like JSON: mostly the same from one second to the next, as real ones are. */
    static String json(long ts) {
        Random r = new Random(ts);
        StringBuilder b = new StringBuilder("{\"serverId\":\"\",\"ts\":").append(ts).append(",\"cpu\":{\"usage\":")
                .append(r.nextInt(10_000) / 100.0).append(",\"cores\":[");
        for (int i = 0; i < 8; i++) b.append(i > 0 ? "," : "").append(r.nextInt(10_000) / 100.0);
        b.append("]},\"processes\":[");
        for (int i = 0; i < 15; i++) {
            b.append(i > 0 ? "," : "").append("{\"pid\":").append(1000 + i).append(",\"name\":\"worker-").append(i)
                    .append("\",\"cpu\":").append(r.nextInt(1000) / 100.0).append(",\"rss\":").append(1_000_000 + r.nextInt(5000)).append('}');
        }
        return b.append("]}").toString();
    }

    private static DiskOutbox open(Path dir, long maxAge, long maxBytes, DiskOutbox.Tuning tuning) {
        return DiskOutbox.open(dir.toFile(), maxAge, maxBytes, 100, tuning, new Doorbell());
    }

    /** Everything still waiting, in the order it would be sent, acknowledging batch after batch as a hub would. */
    private static List<Long> drain(DiskOutbox box, int batch) {
        List<Long> sent = new ArrayList<>();
        while (box.size() > 0) {
            List<DiskOutbox.Entry> b = box.oldest(batch, 1 << 20);
            assertThat(b).isNotEmpty();
            for (DiskOutbox.Entry e : b) {
                assertThat(e.json()).isEqualTo(json(e.ts()));
                sent.add(e.ts());
            }
            DiskOutbox.Entry last = b.get(b.size() - 1);
            box.acknowledge(last.seq(), last.ts());
        }
        return sent;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long ts = from; ts <= to; ts++) out.add(ts);
        return out;
    }

    private static File[] segments(Path dir) {
        File[] files = dir.toFile().listFiles((d, name) -> name.endsWith(DiskOutbox.SUFFIX));
        return files == null ? new File[0] : files;
    }

    @Test
    void unacknowledgedSnapshotsSurviveACrashAndAreReplayedOldestFirst() {
        Path dir = tmp.resolve("outbox");
        long base = System.currentTimeMillis() - 1_000_000;
        DiskOutbox box = open(dir, DAY, 100_000_000, SMALL);
        for (long i = 0; i < 500; i++) box.add(base + i, json(base + i));
        List<DiskOutbox.Entry> first = box.oldest(100, 1 << 20);
        box.acknowledge(first.get(99).seq(), first.get(99).ts());
        assertThat(segments(dir)).hasSizeGreaterThan(3);
        box.abandon(); // kill -9: nothing closed, synced or saved on the way out

        DiskOutbox again = open(dir, DAY, 100_000_000, SMALL);
        assertThat(again.size()).isEqualTo(400);
        assertThat(drain(again, 37)).isEqualTo(range(base + 100, base + 499));
        // New snapshots go on after the recovered ones, in a new segment.
        again.add(base + 500, json(base + 500));
        again.close();
        DiskOutbox third = open(dir, DAY, 100_000_000, SMALL);
        assertThat(drain(third, 10)).containsExactly(base + 500);
        third.close();
    }

    @Test
    void aBackFillReadsOlderSegmentsThenTheMemoryTailWithoutGapOrRepeat() {
        Path dir = tmp.resolve("outbox");
        DiskOutbox box = open(dir, DAY, 100_000_000, SMALL);
        long base = System.currentTimeMillis() - 1_000_000;
        for (long i = 0; i < 300; i++) box.add(base + i, json(base + i));
        // A batch that is not acknowledged comes again, the same.
        List<DiskOutbox.Entry> unanswered = box.oldest(50, 1 << 20);
        assertThat(box.oldest(50, 1 << 20)).extracting(DiskOutbox.Entry::seq)
                .containsExactlyElementsOf(unanswered.stream().map(DiskOutbox.Entry::seq).toList());
        assertThat(box.oldest(1_000, 3_000)).hasSizeLessThan(5); // about maxChars of JSON
        assertThat(box.oldest(1_000, 1)).hasSize(1); // always at least one
        for (long i = 300; i < 320; i++) box.add(base + i, json(base + i)); // new samples while sending
        assertThat(drain(box, 33)).isEqualTo(range(base, base + 319));
        box.close();
    }

    @Test
    void theLiveCaseIsServedFromMemory() throws IOException {
        Path dir = tmp.resolve("outbox");
        DiskOutbox box = open(dir, DAY, 100_000_000, SMALL);
        long base = System.currentTimeMillis();
        box.add(base, json(base));
        drain(box, 120);
        // The files vanish behind the outbox's back: the live samples still go, so they were never read from disk.
        for (File f : segments(dir)) Files.delete(f.toPath());
        for (long i = 1; i <= 5; i++) {
            box.add(base + i, json(base + i));
            assertThat(drain(box, 120)).containsExactly(base + i);
        }
        assertThat(box.dropped()).isZero();
        box.close();
    }

    @Test
    void aWriteTornAtAnyByteLosesAtMostThatRecordAndTheOutboxStaysUsable() throws IOException {
        Path source = tmp.resolve("source");
        long base = System.currentTimeMillis() - 100_000;
        DiskOutbox box = open(source, DAY, 100_000_000, DiskOutbox.Tuning.forBounds(DAY, 100_000_000));
        for (long i = 0; i < 19; i++) box.add(base + i, json(base + i));
        File segment = segments(source)[0];
        long before = segment.length();
        box.add(base + 19, json(base + 19));
        long after = segment.length();
        box.abandon();
        assertThat(after - before).isGreaterThan(16);
        byte[] whole = Files.readAllBytes(segment.toPath());

        for (long cut = before; cut < after; cut++) {
            Path dir = tmp.resolve("cut-" + cut);
            Files.createDirectories(dir);
            Path copy = dir.resolve(segment.getName());
            Files.write(copy, java.util.Arrays.copyOf(whole, (int) cut));
            DiskOutbox torn = open(dir, DAY, 100_000_000, SMALL);
            assertThat(torn.size()).as("cut at byte %d", cut).isEqualTo(19);
            assertThat(copy.toFile().length()).as("the torn tail is cut").isEqualTo(before);
            torn.add(base + 100, json(base + 100));
            torn.abandon();
            DiskOutbox reopened = open(dir, DAY, 100_000_000, SMALL);
            List<Long> expected = range(base, base + 18);
            expected.add(base + 100);
            assertThat(drain(reopened, 120)).as("cut at byte %d", cut).isEqualTo(expected);
            reopened.close();
        }

        Random random = new Random(42);
        byte[][] garbage = {{0}, {0, 0, 0, 20, 1, 2, 3, 4}, new byte[100], new byte[5000]};
        random.nextBytes(garbage[2]);
        random.nextBytes(garbage[3]);
        for (int g = 0; g < garbage.length; g++) {
            Path dir = tmp.resolve("garbage-" + g);
            Files.createDirectories(dir);
            Path copy = dir.resolve(segment.getName());
            Files.write(copy, whole);
            Files.write(copy, garbage[g], StandardOpenOption.APPEND);
            DiskOutbox garbled = open(dir, DAY, 100_000_000, SMALL);
            garbled.add(base + 100, json(base + 100));
            List<Long> expected = range(base, base + 19);
            expected.add(base + 100);
            assertThat(drain(garbled, 7)).isEqualTo(expected);
            garbled.close();
        }
    }

    @Test
    void theByteBoundDropsTheOldestSegmentsAndCountsThem() {
        Path dir = tmp.resolve("outbox");
        long maxBytes = 64 * 1024;
        DiskOutbox box = open(dir, DAY, maxBytes, SMALL);
        long base = System.currentTimeMillis() - 1_000_000;
        int n = 3_000;
        for (long i = 0; i < n; i++) box.add(base + i, json(base + i));
        long onDisk = 0;
        for (File f : segments(dir)) onDisk += f.length();
        assertThat(onDisk).isLessThanOrEqualTo(maxBytes).isEqualTo(box.bytesOnDisk());
        assertThat(box.dropped()).isPositive();
        assertThat(box.size() + box.dropped()).isEqualTo(n);
        // What is left is the newest, in order, with nothing missing after the cut.
        assertThat(drain(box, 120)).isEqualTo(range(base + box.dropped(), base + n - 1));
        box.close();
    }

    @Test
    void theAgeBoundDropsTheOldestSegmentsAndCountsThem() {
        Path dir = tmp.resolve("outbox");
        long hour = 3_600_000;
        DiskOutbox.Tuning fiveMinuteSegments = new DiskOutbox.Tuning(1 << 20, 300_000, 5_000, 0, 20);
        DiskOutbox box = open(dir, hour, 100_000_000, fiveMinuteSegments);
        long now = System.currentTimeMillis();
        long first = now - 3 * hour;
        int n = 0;
        for (long ts = first; ts <= now; ts += 10_000, n++) box.add(ts, json(ts));
        assertThat(box.dropped()).isPositive();
        assertThat(box.size() + box.dropped()).isEqualTo(n);
        List<Long> left = drain(box, 120);
        assertThat(left.get(0)).isBetween(now - hour - 300_000, now - hour + 10_000);
        assertThat(left).isSorted().endsWith(now);
        box.close();
    }

    @Test
    void acknowledgedSegmentsAreDeletedAndARestartResendsNothingAcknowledged() {
        Path dir = tmp.resolve("outbox");
        DiskOutbox box = open(dir, DAY, 100_000_000, SMALL);
        long base = System.currentTimeMillis() - 1_000_000;
        for (long i = 0; i < 300; i++) box.add(base + i, json(base + i));
        int before = segments(dir).length;
        assertThat(before).isGreaterThan(3);
        List<DiskOutbox.Entry> sent = box.oldest(290, 1 << 24);
        assertThat(sent).hasSize(290);
        box.acknowledge(sent.get(289).seq(), sent.get(289).ts());
        assertThat(segments(dir).length).isLessThanOrEqualTo(2);
        assertThat(box.size()).isEqualTo(10);
        box.close();
        DiskOutbox again = open(dir, DAY, 100_000_000, SMALL);
        assertThat(drain(again, 120)).isEqualTo(range(base + 290, base + 299));
        again.close();
        assertThat(segments(dir).length).isLessThanOrEqualTo(1); // at most the segment the last records went to
        DiskOutbox empty = open(dir, DAY, 100_000_000, SMALL);
        assertThat(empty.size()).isZero();
        assertThat(segments(dir)).isEmpty(); // a fully acknowledged segment does not outlive a restart
        empty.close();
    }

    @Test
    void refusedSnapshotsGoToRefusedJsonlWithinItsBound() throws IOException {
        Path dir = tmp.resolve("outbox");
        DiskOutbox box = open(dir, DAY, 100_000_000, SMALL);
        long ts = System.currentTimeMillis();
        box.add(ts, json(ts));
        DiskOutbox.Entry e = box.oldest(1, 1 << 20).get(0);
        box.refused(e, "bad-snapshot", "cpu.usage \"150\" is out of range");
        box.acknowledge(e.seq(), e.ts());
        assertThat(box.size()).isZero();
        Path refused = dir.resolve(DiskOutbox.REFUSED);
        List<String> lines = Files.readAllLines(refused);
        assertThat(lines).hasSize(1);
        assertThat(Messages.number(lines.get(0), "ts")).isEqualTo(ts);
        assertThat(Messages.string(lines.get(0), "code")).isEqualTo("bad-snapshot");
        assertThat(Messages.string(lines.get(0), "message")).isEqualTo("cpu.usage \"150\" is out of range");
        assertThat(lines.get(0)).contains(",\"item\":" + json(ts) + "}");

        for (int i = 0; i < 2_000; i++) box.refused(new DiskOutbox.Entry(i, ts + i, json(ts + i)), "bad-snapshot", "number " + i);
        assertThat(Files.size(refused)).isLessThanOrEqualTo(DiskOutbox.REFUSED_MAX_BYTES);
        lines = Files.readAllLines(refused);
        assertThat(Messages.string(lines.get(lines.size() - 1), "message")).isEqualTo("number 1999");
        assertThat(Messages.string(lines.get(0), "message")).isNotEqualTo("cpu.usage \"150\" is out of range");
        box.close();
    }

    @Test
    void aDirectoryThatCannotBeWrittenKeepsABoundedBufferInMemory() throws IOException {
        Path notADir = tmp.resolve("file");
        Files.writeString(notADir, "in the way");
        DiskOutbox box = DiskOutbox.open(notADir.toFile(), DAY, 100_000_000, 50, SMALL, new Doorbell());
        assertThat(box.diskProblem()).isNotNull();
        long base = System.currentTimeMillis() - 1_000;
        for (long i = 0; i < 60; i++) box.add(base + i, json(base + i));
        assertThat(box.size()).isEqualTo(50);
        assertThat(box.dropped()).isEqualTo(10);
        assertThat(drain(box, 7)).isEqualTo(range(base + 10, base + 59));
        box.close();
    }

    @Test
    void aSecondOutboxOnTheSameDirectoryIsRefused() {
        Path dir = tmp.resolve("outbox");
        DiskOutbox box = open(dir, DAY, 100_000_000, SMALL);
        assertThatThrownBy(() -> open(dir, DAY, 100_000_000, SMALL)).isInstanceOf(DiskOutbox.InUse.class)
                .hasMessageContaining("--outbox-dir");
        box.close();
        open(dir, DAY, 100_000_000, SMALL).close();
    }

    @Test
    void aDayAtOneSecondFitsTheDefaultBound() throws IOException {
        // Synthetic but snapshot-shaped; the real figure (bytes per hour of this machine's samples) is in PERFORMANCE.md.
        Path dir = tmp.resolve("outbox");
        DiskOutbox box = open(dir, DAY, 100_000_000, DiskOutbox.Tuning.forBounds(DAY, 100_000_000));
        long base = System.currentTimeMillis() - 3_600_000;
        long json = 0;
        for (long i = 0; i < 3_600; i++) {
            box.add(base + i * 1000, json(base + i * 1000));
            json += json(base + i * 1000).length();
        }
        assertThat(box.bytesOnDisk() * 24).isLessThan(100_000_000L);
        assertThat(box.bytesOnDisk()).isLessThan(json / 2);
        box.close();
    }

    static void truncate(File f, long length) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f, "rw")) {
            r.setLength(length);
        }
    }

    static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}
