package dev.flick.hub.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;

import dev.flick.collector.Snapshot;

/**
 * One server's stored snapshots for a stretch of time (the hub stores one block per server and minute), encoded
 * column by column and compressed as one zstd frame: about 40–60 bytes a snapshot at a 1 s interval instead of ~1 KB
 * of deflated JSON.
 *
 * <p><b>What comes back.</b> {@code decode(id, encode(list))} gives the same snapshots, with {@code serverId} = id
 * (it is not stored). Exact: {@code ts}, every byte count (memory, disk total/used, process rss), counts, pids and
 * every string (any UTF-16, unpaired surrogates and {@code null} included). At the JSON contract's precision, as
 * {@code SnapshotJson} writes it: percentages, loads and process cpu come back as {@code Math.round(v * 100) / 100.0}
 * (within 0.005), byte rates as {@code Math.round(v)} (within 0.5 B/s); NaN and infinities come back as 0. Those are
 * the very doubles {@link StoredSnapshot#fromJson} reads from {@code SnapshotJson.write} (for values below 2^53
 * hundredths), so a snapshot read back from a block equals one read back from its JSON.
 *
 * <p><b>Format</b> (version {@value #VERSION}): one version byte, then a zstd frame (content size and checksum on) of
 * the payload: the snapshot count, a string table (length-prefixed WTF-8, so unpaired surrogates survive), a table
 * of disk identities (mount, device, fs) and one of processes (pid, name, user, command), then one column per field
 * in {@link Col} order, each prefixed by its byte length. A column is the field's values across the block as zigzag
 * varints, keyed by what they continue from (the same pid, disk, device or interface, core number or list position):
 * raw, delta or delta-of-delta from the key's previous value, whichever zstd should find smallest for that block,
 * with the trailing zero bits all values share (page-sized memory steps) shifted out. Lists keep their order. Values
 * the collector derives from others are stored as their difference from that derivation: user from usage − system −
 * steal, available from total − used, the totals from their parts (loopback left out of the network's), usage from
 * the mean core, loopback tx from its rx, core and process CPU as whole ticks over the interval. A prediction that
 * misses costs a few bits, never exactness.
 * After the columns come optional sections (tag, length, bytes); tag {@value #CONTAINERS_SECTION} holds the
 * containers ({@link ContainerCol}: identities dictionary-coded, values keyed by container; ≈ 3 B a container and
 * snapshot), written only when some snapshot of the block has a containers list, so other blocks are unchanged.
 *
 * <p><b>Corruption.</b> A block that is truncated, altered or not a block at all makes {@link #decode} throw
 * {@link Corrupt}: zstd's checksum covers the payload, the payload is at most {@value #MAX_PAYLOAD} bytes, and every
 * count and length is checked against the bytes that remain before anything is allocated, so a hostile block cannot
 * make decode allocate more than ~15 times its payload, nor loop. Blocks are independent: nothing is shared between
 * two decodes but pooled zstd contexts, and one that failed is dropped.
 */
public final class SnapshotBlock {

    static final int VERSION = 1;
    /** The largest payload encode writes and decode accepts: ~10,000 typical snapshots; a minute is 5–15 KB. */
    static final int MAX_PAYLOAD = 16 << 20;
    /** Level 12 is as small as 19 on these payloads within a few bytes, at a fraction of the time (measured). */
    static final int LEVEL = 12;

    /** The fields, one column each; the order is the stored order and must never change within a version. */
    enum Col {
        TS, CPU_USAGE, CPU_USER, CPU_SYSTEM, CPU_IOWAIT, CPU_STEAL, LOAD1, LOAD5, LOAD15,
        /** Core usage as busy ticks over the core's ticks in the interval (~interval / 10 ms, ± CORES_SPAN). */
        CORES, CORES_SPAN, CORES_FIX,
        MEM_TOTAL, MEM_USED, MEM_AVAILABLE, MEM_CACHED, SWAP_TOTAL, SWAP_USED,
        /** Per snapshot: how many cores (key 0), disks (1), io devices (2), interfaces (3), top processes (4). */
        SHAPE,
        DISK_ID, DISK_TOTAL, DISK_USED,
        IO_READ, IO_WRITE, DEV_NAME, DEV_READ, DEV_WRITE,
        NET_RX, NET_TX, IF_NAME, IF_RX, IF_TX,
        /** Process cpu as whole 10 ms ticks over the interval, and the hundredths that differ from that. */
        PROC_COUNT, PROC_ID, PROC_CPU, PROC_CPU_FIX, PROC_RSS;

        static final Col[] ALL = values();

        /** Lengths and references are not quantities: stored as they are, where zstd finds their repeats. */
        boolean numeric() {
            return this != SHAPE && this != DISK_ID && this != DEV_NAME && this != IF_NAME && this != PROC_ID;
        }
    }

    static final int RAW = 0, DELTA = 1, DELTA2 = 2;

    /** The columns with exactly one value per snapshot. */
    private static final List<Col> PER_SNAPSHOT = List.of(Col.TS, Col.CPU_USAGE, Col.CPU_USER, Col.CPU_SYSTEM,
            Col.CPU_IOWAIT, Col.CPU_STEAL, Col.LOAD1, Col.LOAD5, Col.LOAD15, Col.MEM_TOTAL, Col.MEM_USED,
            Col.MEM_AVAILABLE, Col.MEM_CACHED, Col.SWAP_TOTAL, Col.SWAP_USED, Col.IO_READ, Col.IO_WRITE, Col.NET_RX,
            Col.NET_TX, Col.PROC_COUNT);

    /** Native contexts are reused across threads (virtual ones included) rather than kept per thread. */
    private static final ArrayBlockingQueue<ZstdCompressCtx> COMPRESSORS = new ArrayBlockingQueue<>(4);
    private static final ArrayBlockingQueue<ZstdDecompressCtx> DECOMPRESSORS = new ArrayBlockingQueue<>(8);

    private SnapshotBlock() {}

    /** Stored data that cannot be read back as written: truncated, altered, or not this format. */
    public static final class Corrupt extends RuntimeException {
        Corrupt(String message) {
            super(message);
        }

        Corrupt(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Encodes snapshots of one server, oldest first, each ts later than the one before.
     *
     * @throws IllegalArgumentException when the timestamps are not strictly ascending
     */
    public static byte[] encode(List<Snapshot> snapshots) {
        long[] ts = new long[snapshots.size()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = snapshots.get(i).ts();
            if (i > 0 && ts[i] <= ts[i - 1]) {
                throw new IllegalArgumentException("Snapshots must be in strictly ascending ts order: " + ts[i]
                        + " follows " + ts[i - 1]);
            }
        }
        Encoder encoder = new Encoder();
        for (int i = 0; i < ts.length; i++) encoder.add(snapshots.get(i), interval(ts, i));
        return seal(encoder.payload());
    }

    /** The snapshots of a block, each with the given server id. */
    public static List<Snapshot> decode(String serverId, byte[] block) {
        return decode(serverId, block, true);
    }

    /**
     * The snapshots without their top processes (each {@code processes.top()} empty, the count kept): what a chart
     * needs, at a fraction of the cost, since the process columns are never read.
     */
    static List<Snapshot> decodeSeries(String serverId, byte[] block) {
        return decode(serverId, block, false);
    }

    private static List<Snapshot> decode(String serverId, byte[] block, boolean withProcesses) {
        byte[] payload = open(block);
        try {
            return new Decoder(payload).snapshots(serverId, withProcesses);
        } catch (Corrupt e) {
            throw e;
        } catch (RuntimeException e) {
            // A check missed somewhere must still surface as corruption, never as wrong data.
            throw new Corrupt("Stored snapshot block is corrupt: " + e, e);
        }
    }

    /** Version byte + zstd frame of the payload. */
    static byte[] seal(byte[] payload) {
        ZstdCompressCtx ctx = COMPRESSORS.poll();
        if (ctx == null) ctx = new ZstdCompressCtx().setLevel(LEVEL).setChecksum(true).setContentSize(true);
        boolean reusable = false;
        try {
            byte[] out = new byte[1 + (int) Zstd.compressBound(payload.length)];
            out[0] = VERSION;
            int n = ctx.compressByteArray(out, 1, out.length - 1, payload, 0, payload.length);
            reusable = true;
            return Arrays.copyOf(out, 1 + n);
        } finally {
            if (!reusable || !COMPRESSORS.offer(ctx)) ctx.close();
        }
    }

    /** The payload of a block, checked: version, frame, size bound, checksum. */
    static byte[] open(byte[] block) {
        if (block == null || block.length < 2) {
            throw new Corrupt("Stored snapshot block is corrupt: " + (block == null ? "null" : block.length + " bytes"));
        }
        if (block[0] != VERSION) {
            throw new Corrupt("Stored snapshot block has unknown format version " + (block[0] & 0xff));
        }
        long size = Zstd.getFrameContentSize(block, 1, block.length - 1);
        if (size < 0 || size > MAX_PAYLOAD) {
            throw new Corrupt("Stored snapshot block is corrupt: frame header "
                    + (size < 0 ? "unreadable (" + size + ")" : "claims " + size + " bytes"));
        }
        byte[] payload = new byte[(int) size];
        ZstdDecompressCtx ctx = DECOMPRESSORS.poll();
        if (ctx == null) ctx = new ZstdDecompressCtx();
        boolean reusable = false;
        try {
            int n = ctx.decompressByteArray(payload, 0, payload.length, block, 1, block.length - 1);
            if (n != size) throw new Corrupt("Stored snapshot block is corrupt: " + n + " of " + size + " bytes");
            reusable = true;
            return payload;
        } catch (ZstdException e) {
            throw new Corrupt("Stored snapshot block is corrupt: " + e.getMessage(), e);
        } finally {
            // A context that failed is dropped, so one bad block cannot leave state behind for the next.
            if (!reusable || !DECOMPRESSORS.offer(ctx)) ctx.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Encoding

    private static final class Encoder {
        private int count;
        private final Map<String, Integer> strings = new HashMap<>();
        private final List<String> stringList = new ArrayList<>();
        private final Map<DiskKey, Integer> disks = new HashMap<>();
        private final List<DiskKey> diskList = new ArrayList<>();
        private final Map<ProcessKey, Integer> processes = new HashMap<>();
        private final List<ProcessKey> processList = new ArrayList<>();
        private final ColumnWriter[] columns = new ColumnWriter[Col.ALL.length];
        /** Sensors, GPUs, disk health, services, process I/O: a tagged part after the columns, when any. */
        private final InventoryColumns.Writer inventory = new InventoryColumns.Writer(this::string);
        /** Containers: a tagged part after the columns (tag 1), when any. */
        private final ContainerWriter containers = new ContainerWriter(this::string);

        private record DiskKey(int mount, int device, int fs) {}

        private record ProcessKey(int pid, int name, int user, int command) {}

        Encoder() {
            for (int i = 0; i < columns.length; i++) columns[i] = new ColumnWriter(Col.ALL[i].numeric() ? DELTA2 : RAW);
        }

        private ColumnWriter col(Col c) {
            return columns[c.ordinal()];
        }

        void add(Snapshot s, long interval) {
            count++;
            col(Col.TS).add(0, s.ts());

            Snapshot.Cpu c = s.cpu();
            double[] cores = c.cores();
            ColumnWriter shape = col(Col.SHAPE);
            shape.add(0, cores.length);
            ColumnWriter coreCol = col(Col.CORES), coreSpan = col(Col.CORES_SPAN), coreFix = col(Col.CORES_FIX);
            long span = coreTicks(interval);
            long coreSum = 0;
            for (int i = 0; i < cores.length; i++) {
                long h = hundredths(cores[i]);
                coreSum += h;
                // The core's own tick count is the nearest to the interval's that reproduces the value exactly.
                long busy = 0, offset = 0, fix = 0;
                for (int step = 0; step <= 2 * MAX_SPAN_OFFSET; step++) {
                    long d = step % 2 == 1 ? -(step + 1) / 2 : step / 2;
                    if (span + d < 1) continue;
                    long b = Math.round(h * (double) (span + d) / 10_000);
                    long f = h - coreShare(b, span + d);
                    if (step == 0 || f == 0) {
                        busy = b;
                        offset = d;
                        fix = f;
                    }
                    if (f == 0) break;
                }
                coreCol.add(i, busy);
                coreSpan.add(0, offset);
                coreFix.add(0, fix);
            }
            long usage = hundredths(c.usage()), system = hundredths(c.system()), steal = hundredths(c.steal());
            col(Col.CPU_USAGE).add(0, usage - meanOf(coreSum, cores.length));
            col(Col.CPU_SYSTEM).add(0, system);
            col(Col.CPU_STEAL).add(0, steal);
            col(Col.CPU_USER).add(0, hundredths(c.user()) - (usage - system - steal));
            col(Col.CPU_IOWAIT).add(0, hundredths(c.iowait()));
            col(Col.LOAD1).add(0, hundredths(c.load1()));
            col(Col.LOAD5).add(0, hundredths(c.load5()));
            col(Col.LOAD15).add(0, hundredths(c.load15()));

            Snapshot.Memory m = s.memory();
            col(Col.MEM_TOTAL).add(0, m.total());
            col(Col.MEM_USED).add(0, m.used());
            col(Col.MEM_AVAILABLE).add(0, m.available() - (m.total() - m.used()));
            col(Col.MEM_CACHED).add(0, m.cached());
            col(Col.SWAP_TOTAL).add(0, m.swapTotal());
            col(Col.SWAP_USED).add(0, m.swapUsed());

            List<Snapshot.Disk> diskList = s.disks();
            shape.add(1, diskList.size());
            for (int i = 0; i < diskList.size(); i++) {
                Snapshot.Disk d = diskList.get(i);
                int id = disk(new DiskKey(string(d.mount()), string(d.device()), string(d.fs())));
                col(Col.DISK_ID).add(i, id);
                col(Col.DISK_TOTAL).add(id, d.total());
                col(Col.DISK_USED).add(id, d.used());
            }

            Snapshot.DiskIo io = s.diskIo();
            shape.add(2, io.devices().size());
            long readSum = 0, writeSum = 0;
            for (int i = 0; i < io.devices().size(); i++) {
                Snapshot.DiskIo.Device d = io.devices().get(i);
                int name = string(d.name());
                long read = whole(d.readBps()), write = whole(d.writeBps());
                col(Col.DEV_NAME).add(i, name);
                col(Col.DEV_READ).add(name, read);
                col(Col.DEV_WRITE).add(name, write);
                readSum += read;
                writeSum += write;
            }
            col(Col.IO_READ).add(0, whole(io.readBps()) - readSum);
            col(Col.IO_WRITE).add(0, whole(io.writeBps()) - writeSum);

            Snapshot.Network n = s.network();
            shape.add(3, n.interfaces().size());
            long rxSum = 0, txSum = 0;
            for (int i = 0; i < n.interfaces().size(); i++) {
                Snapshot.Network.Interface f = n.interfaces().get(i);
                int name = string(f.name());
                long rx = whole(f.rxBps()), tx = whole(f.txBps());
                col(Col.IF_NAME).add(i, name);
                col(Col.IF_RX).add(name, rx);
                // Loopback receives what it sends.
                col(Col.IF_TX).add(name, loopback(f.name()) ? tx - rx : tx);
                if (!loopback(f.name())) {
                    rxSum += rx;
                    txSum += tx;
                }
            }
            col(Col.NET_RX).add(0, whole(n.rxBps()) - rxSum);
            col(Col.NET_TX).add(0, whole(n.txBps()) - txSum);

            Snapshot.Processes p = s.processes();
            col(Col.PROC_COUNT).add(0, p.count());
            shape.add(4, p.top().size());
            for (int i = 0; i < p.top().size(); i++) {
                Snapshot.Processes.Process t = p.top().get(i);
                int id = process(new ProcessKey(t.pid(), string(t.name()), string(t.user()), string(t.command())));
                col(Col.PROC_ID).add(i, id);
                long h = hundredths(t.cpu());
                long ticks = ticks(h, interval);
                col(Col.PROC_CPU).add(id, ticks);
                col(Col.PROC_CPU_FIX).add(0, h - fromTicks(ticks, interval));
                col(Col.PROC_RSS).add(id, t.rss());
                inventory.process(id, t);
            }
            inventory.add(s);
            containers.add(s.containers(), interval);
        }

        /** 0 is null, i + 1 the table's i-th string. */
        private int string(String s) {
            if (s == null) return 0;
            Integer ref = strings.get(s);
            if (ref == null) {
                stringList.add(s);
                ref = stringList.size();
                strings.put(s, ref);
            }
            return ref;
        }

        private int disk(DiskKey key) {
            Integer id = disks.get(key);
            if (id == null) {
                id = diskList.size();
                diskList.add(key);
                disks.put(key, id);
            }
            return id;
        }

        private int process(ProcessKey key) {
            Integer id = processes.get(key);
            if (id == null) {
                id = processList.size();
                processList.add(key);
                processes.put(key, id);
            }
            return id;
        }

        byte[] payload() {
            Sink out = new Sink(1024 + 64 * count);
            out.varint(count);
            out.varint(stringList.size());
            for (String s : stringList) out.string(s);
            out.varint(diskList.size());
            for (DiskKey d : diskList) {
                out.varint(d.mount()).varint(d.device()).varint(d.fs());
            }
            out.varint(processList.size());
            for (ProcessKey p : processList) {
                out.signed(p.pid()).varint(p.name()).varint(p.user()).varint(p.command());
            }
            Sink body = new Sink(64 * count + 256);
            for (ColumnWriter c : columns) {
                int before = body.size();
                c.writeTo(body);
                out.varint(body.size() - before);
            }
            out.bytes(body.buffer(), 0, body.size());
            // Tagged parts after the columns: blocks without them (older ones too) end here.
            if (inventory.any()) {
                Sink part = new Sink(256);
                inventory.writeTo(part);
                out.varint(InventoryColumns.TAG).varint(part.size()).bytes(part.buffer(), 0, part.size());
            }
            containers.writeSection(out);
            if (out.size() > MAX_PAYLOAD) {
                throw new IllegalArgumentException("A block of " + count + " snapshots is too large (" + out.size() + " bytes)");
            }
            return out.toByteArray();
        }
    }

    /** One field's values across the block, with the key each continues from. */
    static final class ColumnWriter {
        private long[] values = new long[64];
        private int[] keys = new int[64];
        private int size;
        private int maxKey;
        private final int lastMode;

        ColumnWriter(int lastMode) {
            this.lastMode = lastMode;
        }

        void add(int key, long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                keys = Arrays.copyOf(keys, size * 2);
            }
            values[size] = value;
            keys[size++] = key;
            if (key > maxKey) maxKey = key;
        }

        void writeTo(Sink out) {
            if (size == 0) return;
            long[] residuals = new long[size];
            int bestMode = RAW, bestShift = 0;
            long bestCost = Long.MAX_VALUE;
            int[] histogram = new int[256];
            for (int mode = RAW; mode <= lastMode; mode++) {
                residuals(mode, residuals);
                int shift = sharedShift(residuals, size);
                long cost = cost(residuals, shift, histogram);
                if (cost < bestCost) {
                    bestCost = cost;
                    bestMode = mode;
                    bestShift = shift;
                }
            }
            residuals(bestMode, residuals);
            out.raw((bestMode << 6) | bestShift);
            for (int i = 0; i < size; i++) out.varint(zigzag(residuals[i] >> bestShift));
        }

        /** The values as stored in a mode; arithmetic wraps, and decoding wraps back. */
        private void residuals(int mode, long[] out) {
            if (mode == RAW) {
                System.arraycopy(values, 0, out, 0, size);
                return;
            }
            long[] previous = new long[maxKey + 1];
            long[] previousDelta = mode == DELTA2 ? new long[maxKey + 1] : null;
            for (int i = 0; i < size; i++) {
                int k = keys[i];
                long delta = values[i] - previous[k];
                previous[k] = values[i];
                if (previousDelta == null) {
                    out[i] = delta;
                } else {
                    out[i] = delta - previousDelta[k];
                    previousDelta[k] = delta;
                }
            }
        }

        /**
         * What zstd will roughly make of the column: the order-0 entropy of its varint bytes plus a little per
         * distinct byte for the code table, in 1/1000 bytes. Plain varint lengths would rate a column of mostly
         * zeros as dear as one of small random numbers.
         */
        private long cost(long[] residuals, int shift, int[] histogram) {
            Arrays.fill(histogram, 0);
            int bytes = 0;
            for (int i = 0; i < size; i++) {
                long v = zigzag(residuals[i] >> shift);
                while ((v & ~0x7FL) != 0) {
                    histogram[(int) (v & 0x7F) | 0x80]++;
                    v >>>= 7;
                    bytes++;
                }
                histogram[(int) v]++;
                bytes++;
            }
            double bits = 0;
            int distinct = 0;
            for (int c : histogram) {
                if (c == 0) continue;
                distinct++;
                bits += c * Math.log((double) bytes / c);
            }
            return Math.round((bits / Math.log(2) / 8 + distinct * 0.5) * 1000);
        }

        private int sharedShift(long[] residuals, int size) {
            long bits = 0;
            for (int i = 0; i < size; i++) bits |= residuals[i];
            return bits == 0 ? 0 : Long.numberOfTrailingZeros(bits);
        }
    }

    /** The interval before snapshot i (after it, for the first), which the CPU shares were measured over. */
    static long interval(long[] ts, int i) {
        long e = ts.length < 2 ? 1000 : i == 0 ? ts[1] - ts[0] : ts[i] - ts[i - 1];
        return e > 0 && e <= 86_400_000 ? e : 1000;
    }

    /**
     * A share in hundredths of a percent as whole 10 ms ticks (Linux's USER_HZ) over the interval: what the collector
     * measured, so the rest ({@link #fromTicks}'s difference) is mostly 0. Any value still comes back exactly, as the
     * difference is stored; this only predicts.
     */
    static long ticks(long hundredths, long interval) {
        return (long) Math.rint(hundredths * (double) interval / 100_000);
    }

    static long fromTicks(long ticks, long interval) {
        return (long) Math.rint(ticks * 100_000.0 / interval);
    }

    static final int MAX_SPAN_OFFSET = 4;

    /** A core's ticks in the interval at USER_HZ 100. */
    static long coreTicks(long interval) {
        return Math.max(1, (interval + 5) / 10);
    }

    /** The collector's arithmetic: busy * 100.0 / total percent, then hundredths as SnapshotJson rounds them. */
    static long coreShare(long busy, long total) {
        return Math.round(busy * 100.0 / total * 100);
    }

    /** The mean core usage predicts the machine's; wrapping arithmetic keeps it exact for any values. */
    static long meanOf(long sum, int n) {
        return n == 0 ? 0 : sum / n;
    }

    /** The collector leaves loopback out of the totals; "lo" is its name on Linux ("lo0" elsewhere). */
    static boolean loopback(String name) {
        return name != null && name.startsWith("lo");
    }

    static long hundredths(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) : 0;
    }

    static long whole(double v) {
        return Double.isFinite(v) ? Math.round(v) : 0;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Decoding

    /** The columns of the top processes' items, which {@link #decodeSeries} does not read. */
    private static final java.util.Set<Col> PROCESS_ITEMS = java.util.EnumSet.of(Col.PROC_ID, Col.PROC_CPU, Col.PROC_CPU_FIX, Col.PROC_RSS);

    private static final class Decoder {
        private final Source header;
        private final int count;
        private final String[] strings; // index 0 is null
        private final int[] diskMount, diskDevice, diskFs;
        private final int[] procPid, procName, procUser, procCommand;
        private final ColumnReader[] columns = new ColumnReader[Col.ALL.length];
        /** The inventory part, or null when the block has none. */
        private InventoryColumns.Reader inventory;
        private ContainerReader containers;

        Decoder(byte[] payload) {
            header = new Source(payload, 0, payload.length, "header");
            count = header.count("snapshots", Integer.MAX_VALUE);
            int stringCount = header.count("strings", header.remaining());
            strings = new String[stringCount + 1];
            for (int i = 1; i <= stringCount; i++) strings[i] = header.string();

            int disks = header.count("disks", header.remaining() / 3);
            diskMount = new int[disks];
            diskDevice = new int[disks];
            diskFs = new int[disks];
            for (int i = 0; i < disks; i++) {
                diskMount[i] = stringRef(header.varint());
                diskDevice[i] = stringRef(header.varint());
                diskFs[i] = stringRef(header.varint());
            }
            int processes = header.count("processes", header.remaining() / 4);
            procPid = new int[processes];
            procName = new int[processes];
            procUser = new int[processes];
            procCommand = new int[processes];
            for (int i = 0; i < processes; i++) {
                long pid = header.signed();
                if (pid != (int) pid) throw header.corrupt("pid " + pid + " out of range");
                procPid[i] = (int) pid;
                procName[i] = stringRef(header.varint());
                procUser[i] = stringRef(header.varint());
                procCommand[i] = stringRef(header.varint());
            }
            int[] lengths = new int[columns.length];
            for (int i = 0; i < columns.length; i++) lengths[i] = header.count("column length", header.remaining());
            int at = header.position();
            for (int i = 0; i < columns.length; i++) {
                if (lengths[i] > payload.length - at) throw header.corrupt("column " + Col.ALL[i] + " runs past the end");
                columns[i] = new ColumnReader(new Source(payload, at, at + lengths[i], Col.ALL[i].name()));
                at += lengths[i];
            }
            // Tagged parts after the columns (tag, length, bytes): blocks without them (older ones too) end here.
            while (at < payload.length) {
                Source part = new Source(payload, at, payload.length, "parts");
                long tag = part.varint();
                int length = part.count("part length", part.remaining());
                Source content = part.slice(length, "part " + tag);
                if (tag == InventoryColumns.TAG && inventory == null) inventory = new InventoryColumns.Reader(content, strings);
                else if (tag == CONTAINERS_SECTION && containers == null) containers = new ContainerReader(content, strings, count);
                else throw header.corrupt("unknown or repeated part " + tag + " after the last column");
                at = part.position();
            }
            // Each snapshot takes at least one byte of every per-snapshot column (five of SHAPE).
            int room = col(Col.SHAPE).source.remaining() / 5;
            for (Col c : PER_SNAPSHOT) room = Math.min(room, col(c).source.remaining());
            if (count > room) throw header.corrupt(count + " snapshots in columns with room for " + room);
        }

        private ColumnReader col(Col c) {
            return columns[c.ordinal()];
        }

        private int stringRef(long ref) {
            if (ref < 0 || ref >= strings.length) throw header.corrupt("string " + ref + " of " + (strings.length - 1));
            return (int) ref;
        }

        List<Snapshot> snapshots(String serverId, boolean withProcesses) {
            List<Snapshot> out = new ArrayList<>(count);
            long[] times = new long[count];
            for (int n = 0; n < count; n++) {
                times[n] = col(Col.TS).next(0);
                if (n > 0 && times[n] <= times[n - 1]) {
                    throw col(Col.TS).source.corrupt("ts " + times[n] + " after " + times[n - 1]);
                }
            }
            ColumnReader shape = col(Col.SHAPE);
            Snapshot.Processes.Process[] lastProcess = new Snapshot.Processes.Process[procPid.length];
            long[] lastCpu = new long[procPid.length], lastRss = new long[procPid.length];
            for (int n = 0; n < count; n++) {
                long ts = times[n];
                long interval = interval(times, n);

                ColumnReader coreCol = col(Col.CORES), coreSpan = col(Col.CORES_SPAN), coreFix = col(Col.CORES_FIX);
                double[] cores = new double[length(shape, 0, coreCol)];
                long span = coreTicks(interval);
                long coreSum = 0;
                for (int i = 0; i < cores.length; i++) {
                    long busy = coreCol.next(i);
                    long offset = coreSpan.next(0);
                    if (offset < -MAX_SPAN_OFFSET || offset > MAX_SPAN_OFFSET || span + offset < 1) {
                        throw coreSpan.source.corrupt("core tick offset " + offset);
                    }
                    long h = coreShare(busy, span + offset) + coreFix.next(0);
                    cores[i] = h / 100.0;
                    coreSum += h;
                }
                long usage = col(Col.CPU_USAGE).next(0) + meanOf(coreSum, cores.length);
                long system = col(Col.CPU_SYSTEM).next(0), steal = col(Col.CPU_STEAL).next(0);
                long user = col(Col.CPU_USER).next(0) + (usage - system - steal);
                long iowait = col(Col.CPU_IOWAIT).next(0);
                Snapshot.Cpu cpu = new Snapshot.Cpu(usage / 100.0, user / 100.0, system / 100.0, iowait / 100.0,
                        steal / 100.0, cores, percent(Col.LOAD1), percent(Col.LOAD5), percent(Col.LOAD15));

                long memTotal = col(Col.MEM_TOTAL).next(0), memUsed = col(Col.MEM_USED).next(0);
                Snapshot.Memory memory = new Snapshot.Memory(memTotal, memUsed,
                        col(Col.MEM_AVAILABLE).next(0) + (memTotal - memUsed), col(Col.MEM_CACHED).next(0),
                        col(Col.SWAP_TOTAL).next(0), col(Col.SWAP_USED).next(0));

                ColumnReader diskIds = col(Col.DISK_ID);
                int diskCount = length(shape, 1, diskIds);
                List<Snapshot.Disk> disks = new ArrayList<>(diskCount);
                for (int i = 0; i < diskCount; i++) {
                    int id = id(diskIds.next(i), diskMount.length, diskIds);
                    disks.add(new Snapshot.Disk(strings[diskMount[id]], strings[diskDevice[id]], strings[diskFs[id]],
                            col(Col.DISK_TOTAL).next(id), col(Col.DISK_USED).next(id)));
                }

                ColumnReader devNames = col(Col.DEV_NAME);
                int devCount = length(shape, 2, devNames);
                List<Snapshot.DiskIo.Device> devices = new ArrayList<>(devCount);
                long readSum = 0, writeSum = 0;
                for (int i = 0; i < devCount; i++) {
                    int name = id(devNames.next(i), strings.length, devNames);
                    long read = col(Col.DEV_READ).next(name), write = col(Col.DEV_WRITE).next(name);
                    devices.add(new Snapshot.DiskIo.Device(strings[name], read, write));
                    readSum += read;
                    writeSum += write;
                }
                Snapshot.DiskIo diskIo = new Snapshot.DiskIo(col(Col.IO_READ).next(0) + readSum,
                        col(Col.IO_WRITE).next(0) + writeSum, devices);

                ColumnReader ifNames = col(Col.IF_NAME);
                int ifCount = length(shape, 3, ifNames);
                List<Snapshot.Network.Interface> interfaces = new ArrayList<>(ifCount);
                long rxSum = 0, txSum = 0;
                for (int i = 0; i < ifCount; i++) {
                    int name = id(ifNames.next(i), strings.length, ifNames);
                    long rx = col(Col.IF_RX).next(name), tx = col(Col.IF_TX).next(name);
                    if (loopback(strings[name])) tx += rx;
                    interfaces.add(new Snapshot.Network.Interface(strings[name], rx, tx));
                    if (!loopback(strings[name])) {
                        rxSum += rx;
                        txSum += tx;
                    }
                }
                Snapshot.Network network = new Snapshot.Network(col(Col.NET_RX).next(0) + rxSum,
                        col(Col.NET_TX).next(0) + txSum, interfaces);

                long processCount = col(Col.PROC_COUNT).next(0);
                if (processCount != (int) processCount) {
                    throw col(Col.PROC_COUNT).source.corrupt("process count " + processCount);
                }
                ColumnReader procIds = col(Col.PROC_ID);
                int topCount = length(shape, 4, procIds);
                List<Snapshot.Processes.Process> top = new ArrayList<>(withProcesses ? topCount : 0);
                for (int i = 0; withProcesses && i < topCount; i++) {
                    int id = id(procIds.next(i), procPid.length, procIds);
                    long share = fromTicks(col(Col.PROC_CPU).next(id), interval) + col(Col.PROC_CPU_FIX).next(0);
                    long rss = col(Col.PROC_RSS).next(id);
                    double read = inventory == null ? Double.NaN : inventory.read(id);
                    double write = inventory == null ? Double.NaN : inventory.write(id);
                    // Records redact their command on construction, which costs; an unchanged process is reused.
                    Snapshot.Processes.Process p = lastProcess[id];
                    if (p == null || lastCpu[id] != share || lastRss[id] != rss
                            || Double.compare(p.readBps(), read) != 0 || Double.compare(p.writeBps(), write) != 0) {
                        p = new Snapshot.Processes.Process(procPid[id], strings[procName[id]], strings[procUser[id]],
                                share / 100.0, rss, strings[procCommand[id]], read, write);
                        lastProcess[id] = p;
                        lastCpu[id] = share;
                        lastRss[id] = rss;
                    }
                    top.add(p);
                }
                Snapshot.Processes processes = new Snapshot.Processes((int) processCount, top);

                Snapshot snapshot = new Snapshot(serverId, ts, cpu, memory, disks, diskIo, network, processes);
                Snapshot withInventory = inventory == null ? snapshot : inventory.next(snapshot);
                out.add(containers == null ? withInventory : withInventory.withContainers(containers.next(interval)));
            }
            if (containers != null) containers.finish();
            for (Col c : Col.ALL) {
                if (!withProcesses && PROCESS_ITEMS.contains(c)) continue; // left unread on purpose
                ColumnReader r = col(c);
                if (r.source.remaining() != 0) throw r.source.corrupt(r.source.remaining() + " bytes left over");
            }
            if (inventory != null) inventory.checkDrained(withProcesses);
            return out;
        }

        private double percent(Col c) {
            return col(c).next(0) / 100.0;
        }

        /** A list length, bounded by the column its items are read from: each takes at least one byte there. */
        private static int length(ColumnReader shape, int key, ColumnReader items) {
            long n = shape.next(key);
            if (n < 0 || n > items.source.remaining()) {
                throw shape.source.corrupt("list of " + n + " with " + items.source.remaining() + " bytes of items left");
            }
            return (int) n;
        }

        private static int id(long value, int bound, ColumnReader from) {
            if (value < 0 || value >= bound) throw from.source.corrupt("reference " + value + " of " + bound);
            return (int) value;
        }
    }

    static final class ColumnReader {
        final Source source;
        private final int mode;
        private final int shift;
        private long[] previous = new long[8];
        private long[] previousDelta;

        ColumnReader(Source source) {
            this.source = source;
            if (source.remaining() == 0) {
                mode = RAW;
                shift = 0;
                return;
            }
            int head = source.raw();
            mode = head >>> 6;
            shift = head & 63;
            if (mode > DELTA2) throw source.corrupt("unknown column mode " + mode);
            if (mode == DELTA2) previousDelta = new long[8];
        }

        /** The next value, continuing from the key's previous one; keys are bounded by the caller. */
        long next(int key) {
            long stored = unzigzag(source.varint()) << shift;
            if (mode == RAW) return stored;
            if (key >= previous.length) {
                int length = Math.max(key + 1, previous.length * 2);
                previous = Arrays.copyOf(previous, length);
                if (previousDelta != null) previousDelta = Arrays.copyOf(previousDelta, length);
            }
            long delta = stored;
            if (previousDelta != null) {
                delta = previousDelta[key] + stored;
                previousDelta[key] = delta;
            }
            long value = previous[key] + delta;
            previous[key] = value;
            return value;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Containers (docs/snapshot.md "containers"): an optional section after the columns, left out when no snapshot of
    // the block has any, so blocks without containers are byte for byte what they were.

    static final int CONTAINERS_SECTION = 1;

    /**
     * The container columns, in stored order. Per snapshot CT_COUNT holds 0 for "not collected" (null) or the list
     * length + 1; per container CT_ID its identity (id, name, image: one table entry, the strings in the block's
     * table), and the rest keyed by that identity, so an unchanged value continues as 0. CPU is stored as whole 10 ms
     * ticks over the interval, as process CPU is, plus the hundredths that differ.
     */
    enum ContainerCol {
        CT_COUNT, CT_ID, CT_STATUS, CT_RESTARTS, CT_STARTED, CT_CPU, CT_CPU_FIX, CT_MEMORY, CT_LIMIT,
        CT_RX, CT_TX, CT_READ, CT_WRITE, CT_PIDS;

        static final ContainerCol[] ALL = values();

        boolean numeric() {
            return this != CT_COUNT && this != CT_ID && this != CT_STATUS;
        }
    }

    private record ContainerKey(int id, int name, int image) {}

    private static final class ContainerWriter {
        private final java.util.function.ToIntFunction<String> strings;
        private final Map<ContainerKey, Integer> keys = new HashMap<>();
        private final List<ContainerKey> keyList = new ArrayList<>();
        private final ColumnWriter[] columns = new ColumnWriter[ContainerCol.ALL.length];
        private boolean any;

        ContainerWriter(java.util.function.ToIntFunction<String> strings) {
            this.strings = strings;
            for (int i = 0; i < columns.length; i++) columns[i] = new ColumnWriter(ContainerCol.ALL[i].numeric() ? DELTA2 : DELTA);
        }

        private ColumnWriter col(ContainerCol c) {
            return columns[c.ordinal()];
        }

        void add(List<Snapshot.Container> list, long interval) {
            col(ContainerCol.CT_COUNT).add(0, list == null ? 0 : list.size() + 1);
            if (list == null) return;
            any = true;
            for (int i = 0; i < list.size(); i++) {
                Snapshot.Container c = list.get(i);
                ContainerKey key = new ContainerKey(strings.applyAsInt(c.id()), strings.applyAsInt(c.name()),
                        strings.applyAsInt(c.image()));
                Integer id = keys.get(key);
                if (id == null) {
                    id = keyList.size();
                    keyList.add(key);
                    keys.put(key, id);
                }
                col(ContainerCol.CT_ID).add(i, id);
                col(ContainerCol.CT_STATUS).add(id, c.state().ordinal() * 4L + c.health().ordinal());
                col(ContainerCol.CT_RESTARTS).add(id, c.restarts());
                col(ContainerCol.CT_STARTED).add(id, c.startedAt());
                long h = hundredths(c.cpu());
                long ticks = ticks(h, interval);
                col(ContainerCol.CT_CPU).add(id, ticks);
                col(ContainerCol.CT_CPU_FIX).add(0, h - fromTicks(ticks, interval));
                col(ContainerCol.CT_MEMORY).add(id, c.memory());
                col(ContainerCol.CT_LIMIT).add(id, c.memoryLimit());
                col(ContainerCol.CT_RX).add(id, whole(c.rxBps()));
                col(ContainerCol.CT_TX).add(id, whole(c.txBps()));
                col(ContainerCol.CT_READ).add(id, whole(c.readBps()));
                col(ContainerCol.CT_WRITE).add(id, whole(c.writeBps()));
                col(ContainerCol.CT_PIDS).add(id, c.pids());
            }
        }

        /** Tag, length, then the identities and the columns with their lengths; nothing when no snapshot had any. */
        void writeSection(Sink out) {
            if (!any) return;
            Sink section = new Sink(256);
            section.varint(keyList.size());
            for (ContainerKey k : keyList) section.varint(k.id()).varint(k.name()).varint(k.image());
            Sink body = new Sink(256);
            for (ColumnWriter c : columns) {
                int before = body.size();
                c.writeTo(body);
                section.varint(body.size() - before);
            }
            section.bytes(body.buffer(), 0, body.size());
            out.varint(CONTAINERS_SECTION).varint(section.size()).bytes(section.buffer(), 0, section.size());
        }
    }

    private static final class ContainerReader {
        private final String[] strings;
        private final int[] keyId, keyName, keyImage;
        private final ColumnReader[] columns = new ColumnReader[ContainerCol.ALL.length];
        private Snapshot.Container[] last;

        ContainerReader(Source in, String[] strings, int snapshots) {
            this.strings = strings;
            int n = in.count("containers", in.remaining() / 3);
            keyId = new int[n];
            keyName = new int[n];
            keyImage = new int[n];
            for (int i = 0; i < n; i++) {
                keyId[i] = ref(in, in.varint());
                keyName[i] = ref(in, in.varint());
                keyImage[i] = ref(in, in.varint());
            }
            last = new Snapshot.Container[n];
            int[] lengths = new int[columns.length];
            for (int i = 0; i < columns.length; i++) lengths[i] = in.count("container column length", in.remaining());
            for (int i = 0; i < columns.length; i++) {
                if (lengths[i] > in.remaining()) throw in.corrupt("column " + ContainerCol.ALL[i] + " runs past the end");
                int from = in.position();
                columns[i] = new ColumnReader(new Source(in.buffer(), from, from + lengths[i], ContainerCol.ALL[i].name()));
                in.skip(lengths[i]);
            }
            if (in.remaining() != 0) throw in.corrupt(in.remaining() + " bytes after the container columns");
            if (snapshots > col(ContainerCol.CT_COUNT).source.remaining()) {
                throw in.corrupt(snapshots + " snapshots with room for " + col(ContainerCol.CT_COUNT).source.remaining());
            }
        }

        private int ref(Source in, long ref) {
            if (ref < 0 || ref >= strings.length) throw in.corrupt("string " + ref + " of " + (strings.length - 1));
            return (int) ref;
        }

        private ColumnReader col(ContainerCol c) {
            return columns[c.ordinal()];
        }

        List<Snapshot.Container> next(long interval) {
            ColumnReader ids = col(ContainerCol.CT_ID);
            long n = col(ContainerCol.CT_COUNT).next(0);
            if (n == 0) return null;
            if (n < 0 || n - 1 > ids.source.remaining()) throw ids.source.corrupt("container list of " + (n - 1));
            List<Snapshot.Container> out = new ArrayList<>((int) n - 1);
            for (int i = 0; i < n - 1; i++) {
                long ref = ids.next(i);
                if (ref < 0 || ref >= keyId.length) throw ids.source.corrupt("container " + ref + " of " + keyId.length);
                int id = (int) ref;
                long status = col(ContainerCol.CT_STATUS).next(id);
                long restarts = col(ContainerCol.CT_RESTARTS).next(id), started = col(ContainerCol.CT_STARTED).next(id);
                long h = fromTicks(col(ContainerCol.CT_CPU).next(id), interval) + col(ContainerCol.CT_CPU_FIX).next(0);
                long memory = col(ContainerCol.CT_MEMORY).next(id), limit = col(ContainerCol.CT_LIMIT).next(id);
                long rx = col(ContainerCol.CT_RX).next(id), tx = col(ContainerCol.CT_TX).next(id);
                long read = col(ContainerCol.CT_READ).next(id), write = col(ContainerCol.CT_WRITE).next(id);
                long pids = col(ContainerCol.CT_PIDS).next(id);
                if (status < 0 || status > 255 || restarts != (int) restarts || pids != (int) pids) {
                    throw ids.source.corrupt("container values out of range");
                }
                Snapshot.Container c = new Snapshot.Container(strings[keyId[id]], strings[keyName[id]], strings[keyImage[id]],
                        Snapshot.Container.State.ofOrdinal((int) (status / 4)),
                        Snapshot.Container.Health.ofOrdinal((int) (status % 4)), (int) restarts, started, h / 100.0,
                        memory, limit, rx, tx, read, write, (int) pids);
                Snapshot.Container previous = last[id];
                if (c.equals(previous)) c = previous;
                last[id] = c;
                out.add(c);
            }
            return out;
        }

        void finish() {
            for (ColumnReader r : columns) {
                if (r.source.remaining() != 0) throw r.source.corrupt(r.source.remaining() + " bytes left over");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Bytes: varints and strings, shared with DetailSeries

    /** A growable byte buffer for writing varints and strings. */
    static final class Sink {
        private byte[] buf;
        private int size;

        Sink(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void room(int n) {
            if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(size + n, buf.length * 2));
        }

        Sink raw(int b) {
            room(1);
            buf[size++] = (byte) b;
            return this;
        }

        /** An unsigned LEB128 varint. */
        Sink varint(long v) {
            room(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
            return this;
        }

        Sink signed(long v) {
            return varint(zigzag(v));
        }

        Sink bytes(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
            return this;
        }

        /** Length-prefixed WTF-8: UTF-8 that also carries unpaired surrogates, so every Java string comes back. */
        Sink string(String s) {
            boolean plain = true;
            for (int i = 0; i < s.length() && plain; i++) plain = !Character.isSurrogate(s.charAt(i));
            if (plain) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                return varint(utf8.length).bytes(utf8, 0, utf8.length);
            }
            Sink text = new Sink(s.length() * 3);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                int cp = c;
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, s.charAt(++i));
                }
                text.codePoint(cp);
            }
            return varint(text.size).bytes(text.buf, 0, text.size);
        }

        private void codePoint(int cp) {
            if (cp < 0x80) {
                raw(cp);
            } else if (cp < 0x800) {
                raw(0xC0 | cp >> 6).raw(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                raw(0xE0 | cp >> 12).raw(0x80 | cp >> 6 & 0x3F).raw(0x80 | cp & 0x3F);
            } else {
                raw(0xF0 | cp >> 18).raw(0x80 | cp >> 12 & 0x3F).raw(0x80 | cp >> 6 & 0x3F).raw(0x80 | cp & 0x3F);
            }
        }

        int size() {
            return size;
        }

        byte[] buffer() {
            return buf;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** Reads what {@link Sink} wrote from a slice of an array; everything past the slice is corruption. */
    static final class Source {
        private final byte[] buf;
        private int pos;
        private final int end;
        private final String what;

        Source(byte[] buf, int from, int end, String what) {
            this.buf = buf;
            this.pos = from;
            this.end = end;
            this.what = what;
        }

        int remaining() {
            return end - pos;
        }

        /** The next {@code length} bytes as their own source, skipped here. */
        Source slice(int length, String name) {
            if (length < 0 || length > remaining()) throw corrupt(name + " runs past the end");
            Source s = new Source(buf, pos, pos + length, name);
            pos += length;
            return s;
        }

        int position() {
            return pos;
        }

        byte[] buffer() {
            return buf;
        }

        void skip(int n) {
            if (n < 0 || n > end - pos) throw corrupt("ends early");
            pos += n;
        }

        Corrupt corrupt(String problem) {
            return new Corrupt("Stored data is corrupt (" + what + "): " + problem);
        }

        int raw() {
            if (pos >= end) throw corrupt("ends early");
            return buf[pos++] & 0xFF;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) throw corrupt("ends early");
                byte b = buf[pos++];
                result |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    if (shift == 63 && b > 1) throw corrupt("varint overflows 64 bits");
                    return result;
                }
            }
            throw corrupt("varint longer than 10 bytes");
        }

        long signed() {
            return unzigzag(varint());
        }

        /** A count or length, at most {@code max}. */
        int count(String name, int max) {
            long n = varint();
            if (n < 0 || n > max) throw corrupt(name + " " + n + " where at most " + max + " fit");
            return (int) n;
        }

        String string() {
            int length = count("string length", remaining());
            int from = pos;
            pos += length;
            boolean ascii = true;
            for (int i = from; i < pos && ascii; i++) ascii = buf[i] >= 0;
            if (ascii) return new String(buf, from, length, StandardCharsets.ISO_8859_1);
            char[] out = new char[length];
            int n = 0;
            int i = from;
            while (i < pos) {
                int b = buf[i++] & 0xFF;
                int cp;
                int more;
                if (b < 0x80) {
                    out[n++] = (char) b;
                    continue;
                } else if (b >= 0xC2 && b < 0xE0) {
                    cp = b & 0x1F;
                    more = 1;
                } else if (b >= 0xE0 && b < 0xF0) {
                    cp = b & 0x0F;
                    more = 2;
                } else if (b >= 0xF0 && b < 0xF5) {
                    cp = b & 0x07;
                    more = 3;
                } else {
                    throw corrupt("bad text byte " + b);
                }
                if (i + more > pos) throw corrupt("text ends inside a character");
                for (int k = 0; k < more; k++) {
                    int c = buf[i++] & 0xFF;
                    if ((c & 0xC0) != 0x80) throw corrupt("bad text byte " + c);
                    cp = cp << 6 | (c & 0x3F);
                }
                if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
                    throw corrupt("overlong or out-of-range character");
                }
                if (cp >= 0x10000) {
                    out[n++] = Character.highSurrogate(cp);
                    out[n++] = Character.lowSurrogate(cp);
                } else {
                    out[n++] = (char) cp;
                }
            }
            return new String(out, 0, n);
        }
    }
}
