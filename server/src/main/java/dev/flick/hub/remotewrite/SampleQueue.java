package dev.flick.hub.remotewrite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The samples waiting for the remote-write receiver, on disk under {@code data dir/remote-write}: segment files of
 * CRC-framed records (one snapshot's encoded series each) and a checkpoint naming the first unsent record. A torn tail
 * (a crash mid-append) is cut on open. Bounded: past {@code maxBytes} the oldest segment goes, and a record older than
 * {@code maxAge} when its turn comes is skipped; both are counted (by reason) through {@code dropped}.
 *
 * <pre>record = length (4, of what follows the CRC) | CRC32C (4) | ts (8) | samples (4) | encoded series</pre>
 * Not thread-safe by itself: {@link RemoteWrite} calls it under one lock, never around network I/O.
 */
final class SampleQueue implements AutoCloseable {

    static final long SEGMENT_BYTES = 4L << 20;
    private static final int HEADER = 8;

    private final Path dir;
    private final long maxBytes;
    private final long maxAgeMillis;
    private final ObjLongConsumer<String> dropped;
    /** seq → size in bytes of every segment on disk. */
    private final TreeMap<Long, Long> segments = new TreeMap<>();
    private FileChannel tail;
    private long tailSeq;
    private long readSeq;
    private long readOffset;
    private long queuedRecords;
    private long queuedSamples;
    private long oldestTs = Long.MAX_VALUE;

    /** What was read: the records and where reading stops, so a commit can move there. */
    record Batch(List<byte[]> series, int samples, long oldestTs, long endSeq, long endOffset, int records, int droppedOld) {
        boolean isEmpty() {
            return series.isEmpty();
        }
    }

    SampleQueue(Path dir, long maxBytes, long maxAgeMillis, ObjLongConsumer<String> dropped) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxAgeMillis = maxAgeMillis;
        this.dropped = dropped;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(".seg")).forEach(p -> {
                    String n = p.getFileName().toString();
                    segments.put(Long.parseLong(n.substring(0, n.length() - 4)), 0L);
                });
            }
            readCheckpoint();
            for (Long seq : List.copyOf(segments.keySet())) {
                if (seq < readSeq) Files.deleteIfExists(segment(seq));
            }
            segments.headMap(readSeq).clear();
            if (segments.isEmpty() || segments.firstKey() > readSeq) {
                readSeq = segments.isEmpty() ? Math.max(readSeq, 1) : segments.firstKey();
                readOffset = 0;
            }
            for (Long seq : List.copyOf(segments.keySet())) scan(seq, seq.equals(segments.lastKey()));
            tailSeq = segments.isEmpty() ? readSeq : segments.lastKey() + 1; // a fresh segment after every start
            openTail();
        } catch (IOException e) {
            throw new UncheckedIOException("remote-write queue at " + dir + " cannot be opened", e);
        }
    }

    /** Appends one snapshot's series; on disk once {@link #sync} returns. */
    void append(long ts, int samples, byte[] series) throws IOException {
        if (segments.getOrDefault(tailSeq, 0L) >= SEGMENT_BYTES) {
            tail.force(false);
            tail.close();
            tailSeq++;
            openTail();
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + 12 + series.length);
        b.putInt(12 + series.length).putInt(0).putLong(ts).putInt(samples).put(series);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), HEADER, 12 + series.length);
        b.putInt(4, (int) crc.getValue());
        b.flip();
        while (b.hasRemaining()) tail.write(b);
        segments.merge(tailSeq, (long) b.limit(), Long::sum);
        queuedRecords++;
        queuedSamples += samples;
        oldestTs = Math.min(oldestTs, ts);
        while (bytesOnDisk() > maxBytes && segments.size() > 1) dropOldestSegment();
    }

    void sync() throws IOException {
        tail.force(false);
    }

    /** Up to {@code maxRecords} records or {@code maxBytes} bytes from the first unsent one; records past the age bound are skipped (and counted on commit). */
    Batch read(int maxRecords, long maxBatchBytes, long now) throws IOException {
        List<byte[]> out = new ArrayList<>();
        int samples = 0, records = 0, old = 0;
        long oldest = Long.MAX_VALUE, bytes = 0;
        long seq = readSeq, offset = readOffset;
        while (out.size() < maxRecords && bytes < maxBatchBytes) {
            Long size = segments.get(seq);
            if (size == null) break;
            if (offset >= size) {
                Long next = segments.higherKey(seq);
                if (next == null) break;
                seq = next;
                offset = 0;
                continue;
            }
            try (FileChannel ch = FileChannel.open(segment(seq), StandardOpenOption.READ)) {
                ByteBuffer head = ByteBuffer.allocate(HEADER + 12);
                readFully(ch, head, offset);
                int length = head.getInt(0);
                long ts = head.getLong(HEADER);
                int n = head.getInt(HEADER + 8);
                ByteBuffer body = ByteBuffer.allocate(length - 12);
                readFully(ch, body, offset + HEADER + 12);
                offset += HEADER + length;
                records++;
                if (now - ts > maxAgeMillis) {
                    old += n;
                    continue;
                }
                out.add(body.array());
                samples += n;
                bytes += body.capacity();
                oldest = Math.min(oldest, ts);
            }
        }
        return new Batch(out, samples, oldest, seq, offset, records, old);
    }

    /** The batch is done with (sent, or refused for good): reading goes on after it. */
    void commit(Batch b) throws IOException {
        if (b.droppedOld() > 0) dropped.accept("age", b.droppedOld());
        readSeq = b.endSeq();
        readOffset = b.endOffset();
        queuedRecords -= b.records();
        queuedSamples -= b.samples() + b.droppedOld();
        for (Long seq : List.copyOf(segments.headMap(readSeq).keySet())) {
            Files.deleteIfExists(segment(seq));
            segments.remove(seq);
        }
        if (queuedRecords <= 0) {
            queuedRecords = 0;
            queuedSamples = 0;
            oldestTs = Long.MAX_VALUE;
        } else {
            oldestTs = peekOldestTs();
        }
        writeCheckpoint();
    }

    long queuedRecords() {
        return queuedRecords;
    }

    long queuedSamples() {
        return queuedSamples;
    }

    /** The time of the oldest unsent sample, or empty when all are sent. */
    java.util.OptionalLong oldestTs() {
        return oldestTs == Long.MAX_VALUE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(oldestTs);
    }

    long bytesOnDisk() {
        long sum = 0;
        for (long s : segments.values()) sum += s;
        return sum;
    }

    @Override
    public void close() {
        try {
            tail.force(false);
            tail.close();
        } catch (IOException e) {
            // closing at shutdown: what was synced is kept
        }
    }

    private void dropOldestSegment() throws IOException {
        long seq = segments.firstKey();
        long from = seq == readSeq ? readOffset : 0;
        int[] lost = countFrom(seq, from);
        Files.deleteIfExists(segment(seq));
        segments.remove(seq);
        if (seq >= readSeq) {
            readSeq = segments.firstKey();
            readOffset = 0;
        }
        queuedRecords -= lost[0];
        queuedSamples -= lost[1];
        if (lost[1] > 0) dropped.accept("bytes", lost[1]);
        oldestTs = peekOldestTs();
        writeCheckpoint();
    }

    /** Records and samples in a segment from an offset. */
    private int[] countFrom(long seq, long offset) throws IOException {
        int records = 0, samples = 0;
        long size = segments.get(seq);
        try (FileChannel ch = FileChannel.open(segment(seq), StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(HEADER + 12);
            while (offset < size) {
                readFully(ch, head.clear(), offset);
                records++;
                samples += head.getInt(HEADER + 8);
                offset += HEADER + head.getInt(0);
            }
        }
        return new int[] {records, samples};
    }

    private long peekOldestTs() throws IOException {
        long seq = readSeq, offset = readOffset;
        while (true) {
            Long size = segments.get(seq);
            if (size == null) return Long.MAX_VALUE;
            if (offset < size) {
                try (FileChannel ch = FileChannel.open(segment(seq), StandardOpenOption.READ)) {
                    ByteBuffer head = ByteBuffer.allocate(HEADER + 12);
                    readFully(ch, head, offset);
                    return head.getLong(HEADER);
                }
            }
            Long next = segments.higherKey(seq);
            if (next == null) return Long.MAX_VALUE;
            seq = next;
            offset = 0;
        }
    }

    /** Sizes a segment, counts what is unsent in it, and cuts a torn or corrupt tail of the last one. */
    private void scan(long seq, boolean last) throws IOException {
        Path p = segment(seq);
        long size = Files.size(p);
        long offset = 0, good = 0;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(HEADER);
            while (offset + HEADER + 12 <= size) {
                readFully(ch, head.clear(), offset);
                int length = head.getInt(0);
                if (length < 12 || offset + HEADER + length > size) break;
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(ch, body, offset + HEADER);
                CRC32C crc = new CRC32C();
                crc.update(body.array());
                if ((int) crc.getValue() != head.getInt(4)) break;
                boolean unsent = seq > readSeq || offset >= readOffset;
                if (unsent) {
                    queuedRecords++;
                    queuedSamples += body.getInt(8);
                    oldestTs = Math.min(oldestTs, body.getLong(0));
                }
                offset += HEADER + length;
                good = offset;
            }
            if (good < size && last) ch.truncate(good);
        }
        segments.put(seq, good);
    }

    private void openTail() throws IOException {
        tail = FileChannel.open(segment(tailSeq), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        segments.putIfAbsent(tailSeq, 0L);
    }

    private Path segment(long seq) {
        return dir.resolve(String.format("%016d.seg", seq));
    }

    private void readCheckpoint() throws IOException {
        Path cp = dir.resolve("checkpoint");
        readSeq = 0;
        readOffset = 0;
        if (!Files.exists(cp)) return;
        String[] parts = Files.readString(cp).strip().split(" ");
        if (parts.length == 2) {
            readSeq = Long.parseLong(parts[0]);
            readOffset = Long.parseLong(parts[1]);
        }
    }

    private void writeCheckpoint() throws IOException {
        Path tmp = dir.resolve("checkpoint.tmp");
        Files.writeString(tmp, readSeq + " " + readOffset);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, position + b.position());
            if (n < 0) throw new IOException("segment ends inside a record");
        }
        b.flip();
    }
}
