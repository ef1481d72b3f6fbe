package dev.flick.agent;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Snapshots the hub has not acknowledged yet, kept on disk so that they survive the agent's own restart (kill -9
 * included) and are sent again oldest first. Every snapshot is written before it can be sent; it leaves only when the
 * hub acknowledges it, or when a bound (age, bytes) drops its whole segment, which is counted and logged once per
 * episode.
 *
 * <p>On disk ({@code dir}): segment files named by the sequence number of their first record ({@code
 * 00000000000000000042.seg}), each one raw deflate stream cut into records with SYNC_FLUSH, so consecutive, similar
 * snapshots compress against each other (about a tenth of their JSON) and every record ends on a byte boundary. A
 * record is framed as {@code [length:int][CRC-32C:int][ts:long][deflated bytes]} (length and CRC cover ts and the
 * deflated bytes). A crash in the middle of a write leaves a torn tail, which the next open cuts at the first frame
 * whose length or checksum is wrong; a recovered segment is never appended to again (its deflate state is gone), a new
 * one is started. {@code acked} holds the last acknowledged sequence number and ts, written by atomic rename at most
 * every {@link Tuning#ackSaveMs}, so a restart resends at most those few seconds (the hub ignores duplicates).
 * {@code refused.jsonl} keeps what the hub refused as invalid; {@code lock} keeps a second agent out.
 *
 * <p>In memory: only the newest {@link Tuning#tailEntries} records (the live case never reads the disk) and the records
 * of the batch being read back from older segments. When the directory cannot be written (missing permissions, disk
 * full), new snapshots are kept in memory instead, at most {@code memoryEntries} of them, and the disk is tried again
 * every {@link #DISK_RETRY_MS}.
 *
 * <p>fsync: a process crash loses nothing written (the page cache survives it); against power loss the segment is
 * synced every {@link Tuning#syncMs}, and only while it holds records the hub has not acknowledged, so a connected
 * agent does not sync at all.
 */
final class DiskOutbox implements AutoCloseable {

    /** A snapshot waiting for the hub: its place in the outbox, its time on this machine's clock, its JSON. */
    record Entry(long seq, long ts, String json) {}

    /**
     * Sizes and periods.
     *
     * @param segmentBytes  a segment is closed when it reaches this many bytes
     * @param segmentSpanMs … or when its records span this long, so that the age bound drops in small steps
     * @param syncMs        unacknowledged records are fsynced at most this often
     * @param ackSaveMs     the acknowledged position is saved at most this often
     * @param tailEntries   the newest records kept in memory too
     */
    record Tuning(long segmentBytes, long segmentSpanMs, long syncMs, long ackSaveMs, int tailEntries) {
        /** Segments of 1/32 of the byte bound (16 KiB … 4 MiB) and 1/24 of the age bound (at least a minute). */
        static Tuning forBounds(long maxAgeMs, long maxBytes) {
            return new Tuning(Math.max(16 * 1024, Math.min(4L << 20, maxBytes / 32)), Math.max(60_000, maxAgeMs / 24),
                    5_000, 5_000, Agent.BATCH_ITEMS);
        }
    }

    static final String SUFFIX = ".seg";
    static final String REFUSED = "refused.jsonl";
    static final long REFUSED_MAX_BYTES = 1 << 20;
    static final long DISK_RETRY_MS = 30_000;
    private static final int MAX_FRAME = 64 << 20;
    private static final int HEADER = 16;
    private static final long AGE_CHECK_MS = 10_000;

    /** One segment file; the records in it have the sequence numbers firstSeq … firstSeq + count − 1. */
    private static final class Segment {
        final long firstSeq;
        final File file;
        int count;
        long bytes;
        long firstTs;
        long lastTs;
        boolean closed;

        Segment(long firstSeq, File file) {
            this.firstSeq = firstSeq;
            this.file = file;
        }

        long lastSeq() {
            return firstSeq + count - 1;
        }
    }

    private final File dir;
    private final long maxAgeMs;
    private final long maxBytes;
    private final int memoryEntries;
    private final Tuning tuning;
    private final Doorbell bell;
    private final ArrayList<Segment> segments = new ArrayList<>();
    /** The newest records that are on disk, oldest first: a suffix of the disk's records. */
    private final ArrayDeque<Entry> cache = new ArrayDeque<>();
    /** Records that could not be written (the disk failed), oldest first. */
    private final ArrayDeque<Entry> memoryOnly = new ArrayDeque<>();
    /** Records read back from segment files and not yet acknowledged, oldest first. */
    private final ArrayList<Entry> readAhead = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    private byte[] frame = new byte[16 * 1024];

    private RandomAccessFile lockFile;
    private FileLock lock;
    private Segment active;
    private FileOutputStream activeOut;
    private boolean unsynced;
    private long lastSync;
    /** Whether the disk can be written, and when to try again when not. */
    private String diskProblem;
    private long diskRetryAt;

    private long nextSeq;
    private long ackedSeq = -1;
    private long ackedTs = -1;
    private long savedAckSeq = -1;
    private long lastAckSave;
    private long totalBytes;
    private long lastAgeCheck;
    private boolean ageCheckDue = true;

    private long dropped;
    private long episodeDropped = -1; // -1: no drop episode under way
    private boolean closed;

    // The back-fill reader: a position in one segment, inflating from its start.
    private Segment readSeg;
    private DataInputStream readIn;
    private long readPos;
    private long readNextSeq;
    private final Inflater inflater = new Inflater(true);
    private byte[] readBuf = new byte[16 * 1024];
    private byte[] inflated = new byte[16 * 1024];

    /** Another process (a second agent) holds the outbox directory. */
    static final class InUse extends RuntimeException {
        InUse(String message) {
            super(message, null, false, false);
        }
    }

    private DiskOutbox(File dir, long maxAgeMs, long maxBytes, int memoryEntries, Tuning tuning, Doorbell bell) {
        this.dir = dir;
        this.maxAgeMs = maxAgeMs;
        this.maxBytes = maxBytes;
        this.memoryEntries = memoryEntries;
        this.tuning = tuning;
        this.bell = bell;
    }

    static DiskOutbox open(File dir, long maxAgeMs, long maxBytes, int memoryEntries, Doorbell bell) {
        return open(dir, maxAgeMs, maxBytes, memoryEntries, Tuning.forBounds(maxAgeMs, maxBytes), bell);
    }

    /**
     * Opens (creating it when needed) the outbox in {@code dir}: cuts torn tails, deletes acknowledged segments and
     * finds where to go on. A directory that cannot be used leaves the outbox in memory (logged); one held by another
     * agent throws {@link InUse}.
     */
    static DiskOutbox open(File dir, long maxAgeMs, long maxBytes, int memoryEntries, Tuning tuning, Doorbell bell) {
        DiskOutbox box = new DiskOutbox(dir, maxAgeMs, maxBytes, memoryEntries, tuning, bell);
        try {
            box.recover();
        } catch (IOException e) {
            box.releaseLock();
            box.diskProblem = HubLink.describe(e);
            box.diskRetryAt = Long.MAX_VALUE; // the directory was never usable: no retry, say so once
            box.segments.clear();
            Agent.log("Cannot use the outbox directory " + dir + " (" + box.diskProblem + "): unacknowledged snapshots are "
                    + "kept in memory only (at most " + memoryEntries + ") and do not survive a restart; set --outbox-dir "
                    + "or FLICK_OUTBOX_DIR to a writable directory");
        }
        return box;
    }

    private void recover() throws IOException {
        if (!dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) throw new IOException("cannot create the directory");
        lockFile = new RandomAccessFile(new File(dir, "lock"), "rw");
        try {
            lock = lockFile.getChannel().tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockFile.close();
            throw new InUse("another agent uses the outbox directory " + dir + "; give each agent its own --outbox-dir");
        }
        readAck();
        String[] names = dir.list();
        if (names == null) throw new IOException("cannot list the directory");
        long[] seqs = new long[names.length];
        int n = 0;
        for (String name : names) {
            if (name.length() == 20 + SUFFIX.length() && name.endsWith(SUFFIX)) {
                try {
                    seqs[n++] = Long.parseLong(name.substring(0, 20));
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            } else if (name.endsWith(".tmp")) {
                new File(dir, name).delete(); // an acked file whose rename a crash prevented
            }
        }
        Arrays.sort(seqs, 0, n);
        long cut = 0;
        for (int i = 0; i < n; i++) {
            Segment s = new Segment(seqs[i], segmentFile(seqs[i]));
            s.closed = true;
            long length = s.file.length();
            scan(s);
            if (s.bytes < length) {
                cut += length - s.bytes;
                try (RandomAccessFile f = new RandomAccessFile(s.file, "rw")) {
                    f.setLength(s.bytes);
                }
                Agent.log("Outbox: cut a torn tail of " + (length - s.bytes) + " bytes from " + s.file.getName()
                        + " (a write the agent did not finish)");
            }
            if (s.count == 0 || s.lastSeq() <= ackedSeq) {
                s.file.delete();
                continue;
            }
            segments.add(s);
            totalBytes += s.bytes;
        }
        nextSeq = ackedSeq + 1;
        if (!segments.isEmpty()) nextSeq = Math.max(nextSeq, segments.get(segments.size() - 1).lastSeq() + 1);
        savedAckSeq = ackedSeq;
        if (!segments.isEmpty()) {
            Agent.log("Outbox: " + size() + " unacknowledged snapshots on disk (" + totalBytes + " bytes in " + segments.size()
                    + " segments" + (cut > 0 ? ", torn tail cut" : "") + "), sent oldest first");
        }
    }

    /** Counts a closed segment's valid records and sets {@code bytes} to where they end. */
    private void scan(Segment s) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(s.file), 64 * 1024))) {
            long pos = 0;
            while (true) {
                int length = readFrame(in);
                if (length < 0) break;
                long ts = tsOf(readBuf);
                if (s.count == 0) s.firstTs = ts;
                s.lastTs = ts;
                s.count++;
                pos += 8 + length;
                s.bytes = pos;
            }
        }
    }

    /**
     * Reads one frame's payload into {@link #readBuf}; its length, or −1 at the end or at a torn or garbled frame.
     */
    private int readFrame(DataInputStream in) throws IOException {
        int length;
        int expected;
        try {
            length = in.readInt();
            expected = in.readInt();
        } catch (EOFException e) {
            return -1;
        }
        if (length < 8 || length > MAX_FRAME) return -1;
        if (readBuf.length < length) readBuf = new byte[Math.max(length, readBuf.length * 2)];
        try {
            in.readFully(readBuf, 0, length);
        } catch (EOFException e) {
            return -1;
        }
        crc.reset();
        crc.update(readBuf, 0, length);
        return (int) crc.getValue() == expected ? length : -1;
    }

    private static long tsOf(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[i] & 0xFF);
        return v;
    }

    private File segmentFile(long seq) {
        StringBuilder name = new StringBuilder(24).append(seq);
        while (name.length() < 20) name.insert(0, '0');
        return new File(dir, name.append(SUFFIX).toString());
    }

    // ---- adding -------------------------------------------------------------------------------------------------

    /** Keeps a new snapshot: on disk first (in memory when the disk fails), then rings the bell. */
    void add(long ts, String json) {
        synchronized (this) {
            if (closed) return;
            long now = System.currentTimeMillis();
            Entry e = new Entry(nextSeq++, ts, json);
            if (write(e, now)) {
                cache.addLast(e);
                while (cache.size() > tuning.tailEntries()) cache.pollFirst();
            } else {
                memoryOnly.addLast(e);
                while (memoryOnly.size() > memoryEntries) {
                    removeSeq(readAhead, memoryOnly.pollFirst().seq());
                    countDropped(1, "the in-memory buffer (" + memoryEntries + " snapshots) is full");
                }
            }
            if (ageCheckDue || now - lastAgeCheck >= AGE_CHECK_MS) {
                ageCheckDue = false;
                lastAgeCheck = now;
                dropOld(now);
            }
            if (ackedSeq != savedAckSeq && now - lastAckSave >= tuning.ackSaveMs()) saveAck(now);
        }
        bell.ring();
    }

    /** Appends one record to the active segment; false when the disk cannot take it (the record stays in memory). */
    private boolean write(Entry e, long now) {
        if (diskProblem != null && now < diskRetryAt) return false;
        try {
            // Unacknowledged records written before this one are synced every syncMs; acknowledged ones never need it.
            if (unsynced && active != null && active.lastSeq() > ackedSeq && now - lastSync >= tuning.syncMs()) sync(now);
            if (active != null && (active.bytes >= tuning.segmentBytes() || e.ts() - active.firstTs >= tuning.segmentSpanMs())) {
                roll(now);
            }
            if (active == null) startSegment(e.seq());
            int length = encode(e);
            activeOut.write(frame, 0, length);
            if (active.count == 0) active.firstTs = e.ts();
            active.lastTs = e.ts();
            active.count++;
            active.bytes += length;
            totalBytes += length;
            unsynced = true;
            if (diskProblem != null) {
                Agent.log("Outbox: the disk takes snapshots again (" + dir + ")");
                diskProblem = null;
            }
            dropOverBytes();
            return true;
        } catch (IOException | RuntimeException ex) {
            diskFailed(ex, now);
            return false;
        }
    }

    /** The frame for one record in {@link #frame}; its length. */
    private int encode(Entry e) {
        byte[] in = e.json().getBytes(StandardCharsets.UTF_8);
        deflater.setInput(in);
        int at = HEADER;
        while (true) {
            int n = deflater.deflate(frame, at, frame.length - at, Deflater.SYNC_FLUSH);
            at += n;
            if (at < frame.length) break; // a full buffer may hold more: go on with more room
            frame = Arrays.copyOf(frame, frame.length * 2);
        }
        long ts = e.ts();
        for (int i = 0; i < 8; i++) frame[8 + i] = (byte) (ts >>> (56 - 8 * i));
        int length = at - 8;
        crc.reset();
        crc.update(frame, 8, length);
        putInt(frame, 0, length);
        putInt(frame, 4, (int) crc.getValue());
        return at;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private void startSegment(long seq) throws IOException {
        Segment s = new Segment(seq, segmentFile(seq));
        activeOut = new FileOutputStream(s.file, true);
        if (s.file.length() > 0) { // cannot happen (sequence numbers only grow), but never append to a stranger's stream
            activeOut.close();
            activeOut = null;
            throw new IOException(s.file + " already exists");
        }
        deflater.reset();
        active = s;
        segments.add(s);
        syncDirectory();
    }

    /** Closes the active segment (synced if the hub lacks some of it); deleted at once when all of it is acknowledged. */
    private void roll(long now) throws IOException {
        Segment s = active;
        ageCheckDue = true;
        try {
            if (unsynced && s.lastSeq() > ackedSeq) sync(now);
        } finally {
            closeActive();
        }
        if (s.lastSeq() <= ackedSeq) delete(s);
    }

    private void closeActive() {
        if (active != null) active.closed = true;
        active = null;
        unsynced = false;
        if (activeOut != null) {
            try {
                activeOut.close();
            } catch (IOException ignored) {
                // written data is in the page cache; nothing more to do
            }
            activeOut = null;
        }
    }

    private void sync(long now) throws IOException {
        activeOut.getFD().sync();
        unsynced = false;
        lastSync = now;
    }

    /** A new file's name must survive power loss too. */
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir.toPath(), StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not every file system syncs directories; the records themselves are synced
        }
    }

    private void diskFailed(Throwable ex, long now) {
        if (active != null) {
            // Cut what the failed write may have left, then start a new segment when the disk is back.
            Segment s = active;
            closeActive();
            try (RandomAccessFile f = new RandomAccessFile(s.file, "rw")) {
                if (f.length() > s.bytes) f.setLength(s.bytes);
            } catch (IOException ignored) {
                // the torn tail is cut on the next open
            }
            if (s.count == 0) {
                segments.remove(s);
                s.file.delete();
            }
        }
        if (diskProblem == null) {
            diskProblem = HubLink.describe(ex);
            Agent.log("Outbox: cannot write to " + dir + " (" + diskProblem + "); new snapshots are kept in memory (at most "
                    + memoryEntries + ") until the disk takes them again");
        }
        diskRetryAt = now + DISK_RETRY_MS;
    }

    // ---- bounds -------------------------------------------------------------------------------------------------

    private void dropOverBytes() throws IOException {
        // The active segment is the newest and at most 1/32 of the bound, so it never has to go.
        while (totalBytes > maxBytes && segments.size() > 1) {
            drop(segments.get(0), "the outbox reached its size bound (" + maxBytes + " bytes)");
        }
    }

    /** Drops segments whose newest record is older than the age bound. */
    private void dropOld(long now) {
        while (!segments.isEmpty()) {
            Segment oldest = segments.get(0);
            if (oldest == active || oldest.lastTs >= now - maxAgeMs) break;
            drop(oldest, "snapshots older than the age bound (" + maxAgeMs / 1000 + " s)");
        }
        while (!memoryOnly.isEmpty() && memoryOnly.peekFirst().ts() < now - maxAgeMs) {
            removeSeq(readAhead, memoryOnly.pollFirst().seq());
            countDropped(1, "snapshots older than the age bound (" + maxAgeMs / 1000 + " s)");
        }
    }

    private void drop(Segment s, String why) {
        long lost = s.lastSeq() - Math.max(ackedSeq, s.firstSeq - 1);
        if (s == active) closeActive();
        delete(s);
        if (lost > 0) countDropped(lost, why);
    }

    private void countDropped(long n, String why) {
        dropped += n;
        if (episodeDropped < 0) {
            episodeDropped = 0;
            Agent.log("Outbox: dropping the oldest unacknowledged snapshots: " + why + "; counted, logged again when the hub"
                    + " takes snapshots again");
        }
        episodeDropped += n;
    }

    private void delete(Segment s) {
        segments.remove(s);
        totalBytes -= s.bytes;
        if (readSeg == s) closeReader();
        // Cached or read-back copies of its records go too, so nothing dropped is sent.
        while (!cache.isEmpty() && cache.peekFirst().seq() <= s.lastSeq()) cache.pollFirst();
        for (Iterator<Entry> it = readAhead.iterator(); it.hasNext(); ) {
            long seq = it.next().seq();
            if (seq >= s.firstSeq && seq <= s.lastSeq()) it.remove();
        }
        if (!s.file.delete() && s.file.exists()) Agent.log("Outbox: cannot delete " + s.file);
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    /**
     * The oldest unacknowledged snapshots, at most {@code max} of them and about {@code maxChars} of JSON (always at
     * least one when any wait), in order. The same ones come again until they are acknowledged.
     */
    synchronized List<Entry> oldest(int max, int maxChars) {
        List<Entry> out = new ArrayList<>(Math.min(max, 16));
        long after = ackedSeq;
        int chars = 0;
        while (out.size() < max) {
            Entry d = nextOnDisk(after);
            Entry m = next(memoryOnly, after);
            Entry e = d == null ? m : m == null || d.seq() < m.seq() ? d : m;
            if (e == null) break;
            if (!out.isEmpty() && chars + e.json().length() > maxChars) break;
            out.add(e);
            chars += e.json().length();
            after = e.seq();
        }
        return out;
    }

    /** The newest snapshot, whether acknowledged or not (the live sample while the hub cannot store), or null. */
    synchronized Entry newest() {
        Entry d = cache.peekLast();
        Entry m = memoryOnly.peekLast();
        return d == null ? m : m == null || d.seq() > m.seq() ? d : m;
    }

    /** Removes by sequence number (records' equals would spin method handles, see Agent.daemon). */
    private static void removeSeq(List<Entry> entries, long seq) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).seq() == seq) {
                entries.remove(i);
                return;
            }
        }
    }

    private static Entry next(Iterable<Entry> entries, long after) {
        for (Entry e : entries) {
            if (e.seq() > after) return e;
        }
        return null;
    }

    /** The first record on disk after {@code after}: from what was read back, the segment files, or the cache. */
    private Entry nextOnDisk(long after) {
        Entry e = next(readAhead, after);
        if (e != null) return e;
        while (true) {
            // The cache holds the newest records on disk: only older ones are read from the files.
            Segment s = segmentWith(after + 1, cache.isEmpty() ? nextSeq : cache.peekFirst().seq());
            if (s == null) break;
            e = read(s, after);
            if (e != null) {
                readAhead.add(e);
                return e;
            }
            if (segments.contains(s)) break; // its file ended before its count (cannot happen): leave it for now
        }
        return next(cache, after);
    }

    /** The first segment holding a record in [from, before), or null. */
    private Segment segmentWith(long from, long before) {
        for (Segment s : segments) {
            if (s.count > 0 && Math.max(from, s.firstSeq) <= Math.min(s.lastSeq(), before - 1)) return s;
        }
        return null;
    }

    /** The first record of {@code s} after {@code after}, inflating from the segment's start when needed; null if none. */
    private Entry read(Segment s, long after) {
        try {
            if (readSeg != s || readNextSeq > after + 1) {
                closeReader();
                readIn = new DataInputStream(new BufferedInputStream(new FileInputStream(s.file), 16 * 1024));
                readSeg = s;
                readPos = 0;
                readNextSeq = s.firstSeq;
                inflater.reset();
            }
            while (readNextSeq <= s.lastSeq() && readPos < s.bytes) {
                int length = readFrame(readIn);
                if (length < 0) throw new IOException("a damaged record at byte " + readPos);
                readPos += 8 + length;
                long seq = readNextSeq++;
                String json = inflate(length);
                if (seq > after) return new Entry(seq, tsOf(readBuf), json);
            }
            return null;
        } catch (IOException | DataFormatException e) {
            Agent.log("Outbox: cannot read " + s.file.getName() + " (" + HubLink.describe(e) + "); its unsent snapshots are lost");
            if (s == active) {
                closeActive();
            }
            drop(s, "an unreadable segment");
            return null;
        }
    }

    private String inflate(int length) throws DataFormatException {
        inflater.setInput(readBuf, 8, length - 8);
        int n = 0;
        while (true) {
            if (n == inflated.length) inflated = Arrays.copyOf(inflated, n * 2);
            int got = inflater.inflate(inflated, n, inflated.length - n);
            n += got;
            if (got > 0) continue;
            if (inflater.needsInput() || inflater.finished()) break; // SYNC_FLUSH: the whole record is out
            throw new DataFormatException("the deflate stream stalled");
        }
        return new String(inflated, 0, n, StandardCharsets.UTF_8);
    }

    private void closeReader() {
        if (readIn != null) {
            try {
                readIn.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
        readIn = null;
        readSeg = null;
    }

    // ---- acknowledging ------------------------------------------------------------------------------------------

    /** Forgets everything up to and including {@code seq}: the hub has it (or refused it, see {@link #refused}). */
    synchronized void acknowledge(long seq, long ts) {
        if (seq <= ackedSeq) return;
        ackedSeq = seq;
        ackedTs = ts;
        while (!cache.isEmpty() && cache.peekFirst().seq() <= seq) cache.pollFirst();
        while (!memoryOnly.isEmpty() && memoryOnly.peekFirst().seq() <= seq) memoryOnly.pollFirst();
        while (!readAhead.isEmpty() && readAhead.get(0).seq() <= seq) readAhead.remove(0);
        while (!segments.isEmpty() && segments.get(0) != active && segments.get(0).lastSeq() <= seq) delete(segments.get(0));
        if (episodeDropped >= 0) {
            Agent.log("Outbox: " + episodeDropped + " snapshots were dropped at the bounds while the hub was away ("
                    + dropped + " since start)");
            episodeDropped = -1;
        }
        long now = System.currentTimeMillis();
        if (now - lastAckSave >= tuning.ackSaveMs()) saveAck(now);
    }

    private void readAck() {
        File f = new File(dir, "acked");
        if (!f.isFile()) return;
        try (FileInputStream in = new FileInputStream(f)) {
            String text = new String(in.readNBytes(200), StandardCharsets.US_ASCII).strip();
            int space = text.indexOf(' ');
            ackedSeq = Long.parseLong(space < 0 ? text : text.substring(0, space));
            if (space > 0) ackedTs = Long.parseLong(text.substring(space + 1));
        } catch (IOException | NumberFormatException e) {
            ackedSeq = -1; // unreadable: everything on disk is sent again, which the hub deduplicates
        }
    }

    /** {@code acked}: "seq ts", written to a temporary file and renamed over the old one (atomic on POSIX). */
    private void saveAck(long now) {
        lastAckSave = now;
        if (diskProblem != null && diskRetryAt == Long.MAX_VALUE) return;
        File tmp = new File(dir, "acked.tmp");
        try (FileOutputStream out = new FileOutputStream(tmp)) {
            out.write(new StringBuilder(48).append(ackedSeq).append(' ').append(ackedTs).append('\n').toString()
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return; // a stale position only means a few more snapshots sent again
        }
        if (tmp.renameTo(new File(dir, "acked"))) savedAckSeq = ackedSeq;
    }

    /**
     * Keeps a snapshot the hub refused as invalid in {@code refused.jsonl} (one JSON object a line, at most
     * {@link #REFUSED_MAX_BYTES}; the oldest lines go first), so it neither blocks the outbox nor vanishes unseen.
     */
    synchronized void refused(Entry e, String code, String message) {
        StringBuilder line = new StringBuilder(e.json().length() + 160).append("{\"refusedAt\":").append(System.currentTimeMillis())
                .append(",\"ts\":").append(e.ts()).append(",\"code\":").append(Agent.quote(code))
                .append(",\"message\":").append(Agent.quote(message)).append(",\"item\":").append(e.json()).append("}\n");
        if (diskProblem != null && diskRetryAt == Long.MAX_VALUE) return;
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        File file = new File(dir, REFUSED);
        try {
            if (file.length() + bytes.length > REFUSED_MAX_BYTES) trimRefused(file, bytes.length);
            try (FileOutputStream out = new FileOutputStream(file, true)) {
                out.write(bytes);
            }
        } catch (IOException ex) {
            Agent.log("Outbox: cannot write " + file + " (" + HubLink.describe(ex) + ")");
        }
    }

    /** Keeps the newest lines of refused.jsonl that leave room for {@code room} bytes within half the bound. */
    private static void trimRefused(File file, int room) throws IOException {
        byte[] all;
        try (FileInputStream in = new FileInputStream(file)) {
            all = in.readAllBytes();
        }
        long keep = REFUSED_MAX_BYTES / 2 - room;
        int from = 0;
        while (from < all.length && all.length - from > keep) {
            int nl = from;
            while (nl < all.length && all[nl] != '\n') nl++;
            from = nl + 1;
        }
        File tmp = new File(file.getParentFile(), REFUSED + ".tmp");
        try (FileOutputStream out = new FileOutputStream(tmp)) {
            if (from < all.length) out.write(all, from, all.length - from);
        }
        if (!tmp.renameTo(file)) throw new IOException("cannot replace " + file);
    }

    // ---- state --------------------------------------------------------------------------------------------------

    /** Snapshots not acknowledged yet. */
    synchronized long size() {
        long n = memoryOnly.size();
        for (Segment s : segments) {
            long from = Math.max(s.firstSeq, ackedSeq + 1);
            if (s.lastSeq() >= from) n += s.lastSeq() - from + 1;
        }
        return n;
    }

    /** Snapshots dropped at a bound since the start. */
    synchronized long dropped() {
        return dropped;
    }

    /** Bytes of the segment files. */
    synchronized long bytesOnDisk() {
        return totalBytes;
    }

    /** Why the disk is not used, or null. */
    synchronized String diskProblem() {
        return diskProblem;
    }

    File dir() {
        return dir;
    }

    /** Syncs what the hub lacks, saves the acknowledged position, closes the files. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            if (active != null && unsynced && active.lastSeq() > ackedSeq) sync(System.currentTimeMillis());
        } catch (IOException ignored) {
            // written to the page cache; a clean shutdown keeps it
        }
        closeActive();
        closeReader();
        if (ackedSeq != savedAckSeq) saveAck(System.currentTimeMillis());
        releaseLock();
        deflater.end();
        inflater.end();
    }

    /** What kill -9 leaves: files closed by the kernel, nothing synced or saved. For tests. */
    synchronized void abandon() {
        closed = true;
        closeActive();
        closeReader();
        releaseLock();
    }

    private void releaseLock() {
        try {
            if (lock != null) lock.release();
            if (lockFile != null) lockFile.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
        lock = null;
        lockFile = null;
    }
}
