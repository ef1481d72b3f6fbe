package dev.flick.hub.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's durable queue of snapshots on their way to the database: append-only segment files under the data dir,
 * each record framed as {@code [length][CRC-32C][payload]}. One thread appends and fsyncs in groups; a receipt
 * completes once its record is on disk, which is when an agent may be told its batch is safe. The writer reads the
 * records back in order ({@link #read}), and segments wholly before its checkpoint are deleted.
 *
 * <p>When the spool cannot be written (no space, an I/O error, over its size bound, free space below the minimum), it
 * is <em>blocked</em>: snapshots whose sender keeps them (agents) are refused at once, and hub-side snapshots wait in a
 * bounded memory backlog, oldest dropped first and counted. Writing is retried every second.
 */
final class Spool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    static final long SEGMENT_BYTES = 64L << 20;
    static final int MAX_RECORD = 4 << 20;
    private static final int HEADER = 8;
    private static final long RETRY_MS = 1_000;
    /** How often the stored position is made durable and written; a replay from an older one only repeats inserts. */
    private static final long CHECKPOINT_EVERY_MS = 5_000;
    private static final String SUFFIX = ".seg";

    /** Who holds a snapshot besides the hub: an agent keeps what is not acknowledged, the hub's own sources do not. */
    enum Origin { HUB, AGENT }

    /** Told of every hub-side snapshot the spool had to give up. */
    interface Drops {
        void dropped(String serverId, String reason);
    }

    record Position(long segment, long offset) {
        boolean before(Position other) {
            return segment < other.segment || (segment == other.segment && offset < other.offset);
        }
    }

    private record Entry(SpoolRecord record, Origin origin, CompletableFuture<Void> done, int size) {}

    private final Path dir;
    private final long segmentBytes;
    private final long maxBytes;
    private final long memoryBacklogBytes;
    private final long minFreeBytes;
    private final Drops drops;
    private final ConcurrentLinkedDeque<Entry> incoming = new ConcurrentLinkedDeque<>();
    private final AtomicLong incomingBytes = new AtomicLong();
    private final AtomicLong bytesOnDisk = new AtomicLong();
    /** Bytes appended and bytes the writer has stored: their difference is what the size bound limits. */
    private final AtomicLong appendedBytes = new AtomicLong();
    private final AtomicLong storedBytes = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong committedCount = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private final Thread appender;
    private volatile boolean running = true;
    private volatile String blocked;
    private volatile boolean outOfSpace;
    private volatile Position written;
    /** The thread waiting in {@link #read} for records past {@link #written}; woken when it moves. */
    private volatile Thread reader;
    private volatile Position committed;
    private volatile long lastFreeBytes = Long.MAX_VALUE;

    // Appender thread only.
    private FileChannel out;
    private long outSegment;
    private long outPos;
    private long nextFreeCheck;
    private long retryAt;
    private boolean episodeLogged;
    private ByteBuffer encodeBuffer = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C writeCrc = new CRC32C();

    // Reader (the writer thread) only.
    private long readSegment;
    private long readOffset;
    private FileChannel readChannel;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(MAX_RECORD + HEADER);
    private final CRC32C readCrc = new CRC32C();
    private long lastCheckpointWrite;
    private Position checkpointed;
    /** Makes what the database committed durable before the spool forgets it (SQLite's NORMAL sync may not have). */
    private volatile Runnable makeStoredDurable = () -> {};

    Spool(Path dir, long maxBytes, long memoryBacklogBytes, long minFreeBytes, Drops drops) {
        this(dir, maxBytes, memoryBacklogBytes, minFreeBytes, drops, SEGMENT_BYTES);
    }

    Spool(Path dir, long maxBytes, long memoryBacklogBytes, long minFreeBytes, Drops drops, long segmentBytes) {
        this.segmentBytes = segmentBytes;
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.memoryBacklogBytes = memoryBacklogBytes;
        this.minFreeBytes = minFreeBytes;
        this.drops = drops;
        try {
            Files.createDirectories(dir);
            recover();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the spool in " + dir + ": " + e.getMessage(), e);
        }
        this.appender = Thread.ofPlatform().name("flick-spool").daemon().start(this::appendLoop);
    }

    // ---------------------------------------------------------------- appending

    /**
     * Queues a record; the future completes once it is on disk. An agent's record is refused at once while the spool
     * is blocked (the agent keeps it); a hub-side one waits in memory, within the backlog bound.
     */
    CompletableFuture<Void> append(SpoolRecord record, Origin origin) {
        int size = record.encodedSize() + HEADER;
        if (size > MAX_RECORD) {
            return CompletableFuture.failedFuture(new Ingest.StorageUnavailable("snapshot too large to store (" + size + " bytes)"));
        }
        String why = blocked;
        if (why != null && origin == Origin.AGENT) return CompletableFuture.failedFuture(new Ingest.StorageUnavailable(why));
        CompletableFuture<Void> done = new CompletableFuture<>();
        incoming.addLast(new Entry(record, origin, done, size));
        waiting.incrementAndGet();
        long queued = incomingBytes.addAndGet(size);
        while (queued > memoryBacklogBytes) {
            Entry oldest = incoming.pollFirst();
            if (oldest == null) break;
            queued = incomingBytes.addAndGet(-oldest.size());
            giveUp(oldest, "backlog-full");
        }
        LockSupport.unpark(appender);
        return done;
    }

    private void giveUp(Entry e, String reason) {
        waiting.decrementAndGet();
        if (e.origin() == Origin.HUB) drops.dropped(e.record().serverId(), reason);
        e.done().completeExceptionally(new Ingest.StorageUnavailable(reason));
    }

    private void appendLoop() {
        List<Entry> batch = new ArrayList<>();
        while (running || !incoming.isEmpty() || !batch.isEmpty()) {
            if (batch.isEmpty()) {
                long bytes = 0;
                Entry e;
                while (bytes < (8 << 20) && (e = incoming.pollFirst()) != null) {
                    batch.add(e);
                    bytes += e.size();
                }
                if (batch.isEmpty()) {
                    if (!running) break;
                    // append() and close() unpark this thread; the timeout only paces the probe while blocked.
                    if (blocked != null) probeWhileIdle(System.currentTimeMillis());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(blocked != null ? 50 : 1_000));
                    continue;
                }
            }
            long now = System.currentTimeMillis();
            String why = refusal(now);
            if (why != null) {
                block(why, false);
                refuseAgents(batch, why);
                if (!batch.isEmpty() && running) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(10, retryAt - now)));
                if (!running) {
                    for (Entry e : batch) giveUp(e, "shutdown");
                    incomingBytes.addAndGet(-batch.stream().mapToLong(Entry::size).sum());
                    batch.clear();
                }
                continue;
            }
            try {
                writeAndSync(batch);
                long bytes = 0;
                for (Entry e : batch) {
                    bytes += e.size();
                    e.done().complete(null);
                }
                incomingBytes.addAndGet(-bytes);
                waiting.addAndGet(-batch.size());
                appended.addAndGet(batch.size());
                batch.clear();
                if (episodeLogged) {
                    log.info("Spool writable again: snapshots are kept on disk until stored");
                    episodeLogged = false;
                }
                blocked = null;
                outOfSpace = false;
            } catch (IOException e) {
                abandonSegment();
                boolean space = isOutOfSpace(e);
                block((space ? "no space left under the data dir" : "cannot write the spool") + " (" + e.getMessage() + ")", space);
                retryAt = now + RETRY_MS;
                refuseAgents(batch, blocked);
            }
        }
        closeQuietly(out);
    }

    /**
     * Blocked with nothing to write (agents are refused before they queue): once the reason is gone, accept again and
     * let the next write prove it.
     */
    private void probeWhileIdle(long now) {
        if (now < retryAt) return;
        String why = refusal(now);
        if (why == null) {
            blocked = null; // said in the log once the next write succeeds
            outOfSpace = false;
        } else {
            blocked = why;
            retryAt = now + RETRY_MS;
        }
    }

    /** Why nothing may be written now, or null. */
    private String refusal(long now) {
        if (blocked != null && now < retryAt) return blocked;
        if (now >= nextFreeCheck) {
            nextFreeCheck = now + 1_000;
            try {
                lastFreeBytes = Files.getFileStore(dir).getUsableSpace();
            } catch (IOException e) {
                lastFreeBytes = Long.MAX_VALUE;
            }
        }
        if (lastFreeBytes < minFreeBytes) {
            retryAt = now + RETRY_MS;
            outOfSpace = true;
            return "free space under the data dir is below " + (minFreeBytes >> 20) + " MiB";
        }
        if (appendedBytes.get() - storedBytes.get() >= maxBytes) {
            retryAt = now + RETRY_MS;
            return "the spool holds its maximum of " + (maxBytes >> 20) + " MiB while the database catches up";
        }
        return null;
    }

    private void block(String why, boolean space) {
        if (!episodeLogged) {
            episodeLogged = true;
            log.error("Spool blocked: {}. Agents keep their snapshots until it clears; the hub's own samples wait in memory "
                    + "(up to {} MiB). Retrying every second.", why, memoryBacklogBytes >> 20);
        }
        blocked = why;
        if (space) outOfSpace = true;
    }

    private void refuseAgents(List<Entry> batch, String why) {
        batch.removeIf(e -> {
            if (e.origin() != Origin.AGENT) return false;
            incomingBytes.addAndGet(-e.size());
            waiting.decrementAndGet();
            e.done().completeExceptionally(new Ingest.StorageUnavailable(why));
            return true;
        });
    }

    private void writeAndSync(List<Entry> batch) throws IOException {
        int total = 0;
        for (Entry e : batch) total += e.size();
        if (out == null || outPos + total > segmentBytes && outPos > 0) startSegment();
        if (encodeBuffer.capacity() < total) encodeBuffer = ByteBuffer.allocateDirect(Integer.highestOneBit(total) << 1);
        ByteBuffer buf = encodeBuffer.clear();
        for (Entry e : batch) {
            int start = buf.position();
            buf.position(start + HEADER);
            e.record().encode(buf);
            int len = buf.position() - start - HEADER;
            ByteBuffer payload = buf.duplicate().position(start + HEADER).limit(start + HEADER + len);
            writeCrc.reset();
            writeCrc.update(payload);
            buf.putInt(start, len).putInt(start + 4, (int) writeCrc.getValue());
        }
        buf.flip();
        int bytes = buf.remaining();
        long at = outPos;
        while (buf.hasRemaining()) at += out.write(buf, at);
        out.force(false);
        outPos = at;
        bytesOnDisk.addAndGet(bytes);
        appendedBytes.addAndGet(bytes);
        written = new Position(outSegment, outPos);
        Thread waiting = reader;
        if (waiting != null) LockSupport.unpark(waiting);
    }

    private void startSegment() throws IOException {
        closeQuietly(out);
        out = null;
        long id = Math.max(outSegment, written == null ? 0 : written.segment()) + 1;
        FileChannel ch = FileChannel.open(segmentPath(id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        syncDir(); // the new file's name must survive a power loss as surely as the records fsynced into it
        out = ch;
        outSegment = id;
        outPos = 0;
        written = new Position(id, 0);
    }

    /** After a failed write the segment may end in a torn record: cut it back and write the next batch elsewhere. */
    private void abandonSegment() {
        if (out == null) return;
        try {
            out.truncate(outPos);
        } catch (IOException ignored) {
            // The reader stops at the first bad checksum of a sealed segment anyway.
        }
        closeQuietly(out);
        out = null;
    }

    private static boolean isOutOfSpace(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("no space") || m.contains("disk full") || m.contains("quota");
    }

    // ---------------------------------------------------------------- reading (the writer thread)

    /** A run of records in spool order and where the next one starts. */
    record Batch(List<SpoolRecord> records, Position end, long bytes) {}

    /** Up to {@code max} records after the last ones read; waits up to {@code waitMillis} for the first. */
    Batch read(int max, long waitMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        reader = Thread.currentThread();
        List<SpoolRecord> records = new ArrayList<>(Math.min(max, 256));
        long consumed = 0;
        try {
            while (records.size() < max) {
                Position w = written;
                if (w == null) break;
                if (readSegment == w.segment() && readOffset >= w.offset()) {
                    long left = deadline - System.nanoTime();
                    if (!records.isEmpty() || left <= 0) break;
                    LockSupport.parkNanos(left); // the appender unparks this thread when written moves
                    continue;
                }
                if (readChannel == null && !openReadSegment()) {
                    // The segment is gone (a checkpoint ahead of it, or never created): go to the next one that exists.
                    if (!advanceSegment(w)) break;
                    continue;
                }
                long limit = readSegment == w.segment() ? w.offset() : readChannel.size();
                if (readOffset >= limit) {
                    if (!advanceSegment(w)) break;
                    continue;
                }
                long before = readOffset;
                int got = readRecords(records, max, limit);
                consumed += readOffset - before;
                if (got < 0) {
                    log.error("Spool segment {} is damaged at byte {}; the rest of it is skipped", readSegment, readOffset);
                    consumed += limit - readOffset;
                    if (!advanceSegment(w)) break;
                }
            }
        } catch (IOException e) {
            log.error("Reading the spool failed: {}", e.getMessage());
            closeQuietly(readChannel);
            readChannel = null;
        }
        return new Batch(records, new Position(readSegment, readOffset), consumed);
    }

    /** Reads whole records from {@code readOffset} up to {@code limit}; -1 when a record is damaged. */
    private int readRecords(List<SpoolRecord> records, int max, long limit) throws IOException {
        ByteBuffer buf = readBuffer.clear();
        int want = (int) Math.min(buf.capacity(), limit - readOffset);
        buf.limit(want);
        long at = readOffset;
        while (buf.hasRemaining()) {
            int n = readChannel.read(buf, at);
            if (n < 0) break;
            at += n;
        }
        buf.flip();
        int got = 0;
        while (records.size() < max && buf.remaining() >= HEADER) {
            int start = buf.position();
            int len = buf.getInt(start);
            int sum = buf.getInt(start + 4);
            if (len <= 0 || len > MAX_RECORD) return got == 0 ? -1 : got;
            if (buf.remaining() < HEADER + len) {
                if (readOffset + HEADER + len > limit) return got == 0 ? -1 : got; // a record running past the end
                break;
            }
            ByteBuffer payload = buf.duplicate().position(start + HEADER).limit(start + HEADER + len);
            readCrc.reset();
            readCrc.update(payload.duplicate());
            if ((int) readCrc.getValue() != sum) return got == 0 ? -1 : got;
            try {
                records.add(SpoolRecord.decode(payload));
            } catch (IllegalArgumentException e) {
                return got == 0 ? -1 : got;
            }
            buf.position(start + HEADER + len);
            readOffset += HEADER + len;
            got++;
        }
        return got == 0 ? -1 : got; // called only with bytes left before the limit: none readable means damage
    }

    private boolean openReadSegment() throws IOException {
        try {
            readChannel = FileChannel.open(segmentPath(readSegment), StandardOpenOption.READ);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Moves to the next segment that exists, up to the one being written; false when there is none yet. */
    private boolean advanceSegment(Position w) throws IOException {
        if (readSegment >= w.segment()) return false;
        closeQuietly(readChannel);
        readChannel = null;
        long next = segments().keySet().stream().filter(id -> id > readSegment).findFirst().orElse(w.segment());
        readSegment = next;
        readOffset = 0;
        return true;
    }

    /** The writer stored everything before {@code p}: checkpoint it (at most every 5 s) and delete older segments. */
    void committed(Position p, int records, long bytes) {
        committedCount.addAndGet(records);
        storedBytes.addAndGet(bytes);
        committed = p;
        long now = System.currentTimeMillis();
        if (now - lastCheckpointWrite >= CHECKPOINT_EVERY_MS) checkpoint(p, now);
    }

    private void checkpoint(Position p, long now) {
        if (p.equals(checkpointed)) return;
        lastCheckpointWrite = now;
        try {
            makeStoredDurable.run(); // the checkpoint may only claim what the database cannot lose any more
        } catch (RuntimeException e) {
            return; // not durable yet: replay from the older checkpoint, keep the segments
        }
        Path tmp = dir.resolve("checkpoint.tmp");
        try {
            Files.writeString(tmp, p.segment() + " " + p.offset() + "\n", StandardCharsets.US_ASCII);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve("checkpoint"), StandardCopyOption.REPLACE_EXISTING);
            }
            syncDir();
            checkpointed = p;
        } catch (IOException e) {
            return; // full disk: keep the segments, try again later
        }
        for (var s : segments().entrySet()) {
            if (s.getKey() >= p.segment()) break;
            try {
                long size = Files.size(s.getValue());
                Files.deleteIfExists(s.getValue());
                bytesOnDisk.addAndGet(-size);
            } catch (IOException e) {
                log.warn("Cannot delete spool segment {}: {}", s.getValue(), e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- recovery

    /** Reads the checkpoint, drops segments before it and cuts a torn tail off the last one. */
    private void recover() throws IOException {
        Position start = new Position(0, 0);
        Path cp = dir.resolve("checkpoint");
        if (Files.exists(cp)) {
            String[] parts = Files.readString(cp, StandardCharsets.US_ASCII).strip().split(" ");
            try {
                start = new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            } catch (RuntimeException e) {
                log.warn("Spool checkpoint unreadable ({}); replaying every segment (stored rows are not duplicated)", e.getMessage());
            }
        }
        Files.deleteIfExists(dir.resolve("checkpoint.tmp"));
        TreeMap<Long, Path> segs = segments();
        for (var s : segs.entrySet()) {
            if (s.getKey() < start.segment()) Files.delete(s.getValue());
        }
        segs = segments();
        long total = 0;
        for (Path p : segs.values()) total += Files.size(p);
        bytesOnDisk.set(total);
        if (segs.isEmpty()) {
            readSegment = start.segment();
            readOffset = 0;
            outSegment = start.segment();
            written = new Position(start.segment(), 0);
        } else {
            long first = segs.firstKey();
            readSegment = first;
            readOffset = first == start.segment() ? start.offset() : 0;
            long last = segs.lastKey();
            long valid = validEnd(segs.lastEntry().getValue(), last == first ? readOffset : 0);
            long size = Files.size(segs.lastEntry().getValue());
            if (valid < size) {
                try (FileChannel ch = FileChannel.open(segs.lastEntry().getValue(), StandardOpenOption.WRITE)) {
                    ch.truncate(valid);
                }
                bytesOnDisk.addAndGet(valid - size);
                log.warn("Spool segment {} ended in a torn record (a crash mid-write): {} bytes cut", last, size - valid);
            }
            outSegment = last;
            written = new Position(last, valid);
            if (readSegment == last && readOffset > valid) readOffset = valid;
            long pending = total - (first == start.segment() ? start.offset() : 0) - (size - valid);
            appendedBytes.set(Math.max(0, pending));
            if (pending > 0) log.info("Spool: {} KiB written before the last stop are stored first", pending >> 10);
        }
        committed = new Position(readSegment, readOffset);
        checkpointed = committed;
    }

    /** The end of the last whole, intact record of a segment. */
    private long validEnd(Path segment, long from) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            long size = ch.size();
            long at = from;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (at + HEADER <= size) {
                header.clear();
                ch.read(header, at);
                int len = header.getInt(0);
                int sum = header.getInt(4);
                if (len <= 0 || len > MAX_RECORD || at + HEADER + len > size) break;
                ByteBuffer payload = ByteBuffer.allocate(len);
                ch.read(payload, at + HEADER);
                payload.flip();
                CRC32C crc = new CRC32C();
                crc.update(payload);
                if ((int) crc.getValue() != sum) break;
                at += HEADER + len;
            }
            return at;
        }
    }

    /** Called before segments wholly stored are deleted; runs on the thread that reports commits. */
    void beforeDeleting(Runnable makeDurable) {
        this.makeStoredDurable = makeDurable;
    }

    private void syncDir() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private TreeMap<Long, Path> segments() {
        TreeMap<Long, Path> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    try {
                        out.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), p);
                    } catch (NumberFormatException ignored) {
                        // not ours
                    }
                }
            });
        } catch (IOException e) {
            log.warn("Cannot list the spool: {}", e.getMessage());
        }
        return out;
    }

    private Path segmentPath(long id) {
        return dir.resolve(String.format("%016d%s", id, SUFFIX));
    }

    // ---------------------------------------------------------------- state

    /** Why the spool refuses agents now, or null while it accepts. */
    String blockedReason() {
        return blocked;
    }

    /** The last write failed for lack of space, or free space is below the minimum. */
    boolean outOfSpace() {
        return blocked != null && outOfSpace;
    }

    long freeBytes() {
        return lastFreeBytes;
    }

    long minFreeBytes() {
        return minFreeBytes;
    }

    long bytesOnDisk() {
        return bytesOnDisk.get();
    }

    /** Bytes accepted and not yet stored in the database. */
    long unstoredBytes() {
        return Math.max(0, appendedBytes.get() - storedBytes.get());
    }

    /** Records on disk or in memory not stored in the database yet (those spooled before a restart not counted). */
    long backlog() {
        return Math.max(0, appended.get() - committedCount.get()) + Math.max(0, waiting.get());
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(appender);
        try {
            appender.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Position c = committed;
        if (c != null) checkpoint(c, System.currentTimeMillis());
        closeQuietly(readChannel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
