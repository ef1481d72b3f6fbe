package dev.flick.hub.metrics;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32C;

import dev.flick.collector.Snapshot;

/**
 * The per-part series the server page charts beside the totals, accumulated over a bucket (a minute, an hour): each
 * core's usage, each mount's used and total bytes, each disk device's read/write rate, each interface's rx/tx rate.
 * Per key it keeps count, sum, min and max of the values at the JSON contract's precision (core usage in hundredths
 * of a percent, bytes exact, rates in whole B/s), as integers: sums are 128-bit, so nothing is lost or rounded and
 * {@link #merge} of minutes gives exactly what adding their snapshots would have. Within one snapshot a key listed
 * twice counts once (the first). A key seen in part of the bucket averages over the samples that had it.
 *
 * <p>{@link #encode} is compact (a minute of 2 cores, 5 mounts, 3 devices and 4 interfaces takes ~200–300 bytes) and
 * checksummed; {@link #decode} of anything else throws {@link SnapshotBlock.Corrupt}.
 */
final class DetailSeries {

    /** 1: cores, mounts, devices, interfaces, then containers if any. 2: adds sensors and GPUs (always all families). */
    private static final int VERSION = 1;
    private static final int VERSION_INVENTORY = 2;

    /** Index = core number. */
    private final List<Stat> cores = new ArrayList<>();
    /** Per mount: used, total. */
    private final Map<String, Stat[]> mounts = new LinkedHashMap<>();
    /** Per device: read, write. */
    private final Map<String, Stat[]> devices = new LinkedHashMap<>();
    /** Per interface: rx, tx. */
    private final Map<String, Stat[]> interfaces = new LinkedHashMap<>();
    /** Per container name: CPU (hundredths of a percent of one core), memory bytes. */
    private final Map<String, Stat[]> containers = new LinkedHashMap<>();
    /** Per temperature sensor (chip/label): hundredths of °C, the kernel's critical threshold (0 where none). */
    private final Map<String, Stat[]> temperatures = new LinkedHashMap<>();
    /** Per fan (chip/label): RPM, the kernel's maximum (0 where none). */
    private final Map<String, Stat[]> fans = new LinkedHashMap<>();
    /** Per GPU id: utilisation and temperature in hundredths. */
    private final Map<String, Stat[]> gpus = new LinkedHashMap<>();
    /** Per GPU id: memory used and total bytes (0 where the driver does not say). */
    private final Map<String, Stat[]> gpuMemory = new LinkedHashMap<>();

    /** Adds one snapshot's parts. */
    void add(Snapshot s) {
        double[] c = s.cpu().cores();
        for (int i = 0; i < c.length; i++) {
            if (i == cores.size()) cores.add(new Stat());
            cores.get(i).add(SnapshotBlock.hundredths(c[i]));
        }
        Set<String> seen = new HashSet<>();
        for (Snapshot.Disk d : s.disks()) {
            if (once(seen, d.mount())) pair(mounts, d.mount()).add(d.used(), d.total());
        }
        seen.clear();
        for (Snapshot.DiskIo.Device d : s.diskIo().devices()) {
            if (once(seen, d.name())) {
                pair(devices, d.name()).add(SnapshotBlock.whole(d.readBps()), SnapshotBlock.whole(d.writeBps()));
            }
        }
        seen.clear();
        for (Snapshot.Network.Interface f : s.network().interfaces()) {
            if (once(seen, f.name())) {
                pair(interfaces, f.name()).add(SnapshotBlock.whole(f.rxBps()), SnapshotBlock.whole(f.txBps()));
            }
        }
        if (s.containers() != null) {
            seen.clear();
            for (Snapshot.Container k : s.containers()) {
                if (once(seen, k.name())) pair(containers, k.name()).add(SnapshotBlock.hundredths(k.cpu()), k.memory());
            }
        }
        if (s.sensors() != null) {
            seen.clear();
            for (Snapshot.Sensor t : s.sensors()) {
                if (!Double.isFinite(t.value()) || !once(seen, t.key())) continue;
                if (t.kind() == Snapshot.SensorKind.TEMPERATURE) {
                    pair(temperatures, t.key()).add(SnapshotBlock.hundredths(t.value()), SnapshotBlock.hundredths(t.critical()));
                } else {
                    pair(fans, t.key()).add(SnapshotBlock.whole(t.value()), SnapshotBlock.whole(t.max()));
                }
            }
        }
        if (s.gpus() != null) {
            seen.clear();
            for (Snapshot.Gpu g : s.gpus()) {
                String key = g.id() == null || g.id().isEmpty() ? g.name() : g.id();
                if (!once(seen, key)) continue;
                pair(gpus, key).add(SnapshotBlock.hundredths(g.utilization()), SnapshotBlock.hundredths(g.temperature()));
                pair(gpuMemory, key).add(Math.max(0, g.memoryUsed()), Math.max(0, g.memoryTotal()));
            }
        }
    }

    /** Adds another bucket's accumulation (an hour from its minutes), as if its snapshots had been added here. */
    void merge(DetailSeries other) {
        for (int i = 0; i < other.cores.size(); i++) {
            if (i == cores.size()) cores.add(new Stat());
            cores.get(i).merge(other.cores.get(i));
        }
        mergeFamily(mounts, other.mounts);
        mergeFamily(devices, other.devices);
        mergeFamily(interfaces, other.interfaces);
        mergeFamily(containers, other.containers);
        mergeFamily(temperatures, other.temperatures);
        mergeFamily(fans, other.fans);
        mergeFamily(gpus, other.gpus);
        mergeFamily(gpuMemory, other.gpuMemory);
    }

    boolean isEmpty() {
        return cores.isEmpty() && mounts.isEmpty() && devices.isEmpty() && interfaces.isEmpty() && containers.isEmpty()
                && !hasInventory();
    }

    private boolean hasInventory() {
        return !temperatures.isEmpty() || !fans.isEmpty() || !gpus.isEmpty() || !gpuMemory.isEmpty();
    }

    /**
     * The history point's fields, averaged per key: {@code cores} (a list, index = core number, percent to 2
     * decimals), {@code mounts} ({@code {"/": {"used": long, "total": long}}}, whole bytes), {@code devices}
     * ({@code readBps}, {@code writeBps}) and {@code interfaces} ({@code rxBps}, {@code txBps}), rates to 2 decimals.
     * A family with no keys is left out.
     */
    Map<String, Object> averages() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!cores.isEmpty()) {
            List<Double> list = new ArrayList<>(cores.size());
            for (Stat c : cores) list.add(c.roundedMean() / 100.0);
            out.put("cores", list);
        }
        if (!mounts.isEmpty()) {
            Map<String, Object> family = new LinkedHashMap<>();
            mounts.forEach((k, v) -> family.put(k, fields("used", v[0].roundedMean(), "total", v[1].roundedMean())));
            out.put("mounts", family);
        }
        rates(out, "devices", devices, "readBps", "writeBps");
        rates(out, "interfaces", interfaces, "rxBps", "txBps");
        if (!containers.isEmpty()) {
            Map<String, Object> family = new LinkedHashMap<>();
            containers.forEach((k, v) -> family.put(k, fields("cpu", v[0].roundedMean() / 100.0, "memory", v[1].roundedMean())));
            out.put("containers", family);
        }
        if (!temperatures.isEmpty()) {
            Map<String, Object> family = new LinkedHashMap<>();
            temperatures.forEach((k, v) -> family.put(k, v[1].max > 0
                    ? fields("value", v[0].roundedMean() / 100.0, "critical", v[1].max / 100.0)
                    : Map.of("value", v[0].roundedMean() / 100.0)));
            out.put("temperatures", family);
        }
        if (!fans.isEmpty()) {
            Map<String, Object> family = new LinkedHashMap<>();
            fans.forEach((k, v) -> family.put(k, Map.of("rpm", v[0].roundedMean())));
            out.put("fans", family);
        }
        if (!gpus.isEmpty()) {
            Map<String, Object> family = new LinkedHashMap<>();
            gpus.forEach((k, v) -> {
                // A temperature the driver does not give is stored as 0 (no running GPU is at 0 °C) and left out.
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("utilization", v[0].roundedMean() / 100.0);
                if (v[1].max != 0) f.put("temperature", v[1].roundedMean() / 100.0);
                Stat[] memory = gpuMemory.get(k);
                if (memory != null && memory[1].max > 0) {
                    f.put("memoryUsed", memory[0].roundedMean());
                    f.put("memoryTotal", memory[1].roundedMean());
                }
                family.put(k, f);
            });
            out.put("gpus", family);
        }
        return out;
    }

    /** The same fields for one snapshot. */
    static Map<String, Object> of(Snapshot s) {
        DetailSeries one = new DetailSeries();
        one.add(s);
        return one.averages();
    }

    private static void rates(Map<String, Object> out, String name, Map<String, Stat[]> family, String a, String b) {
        if (family.isEmpty()) return;
        Map<String, Object> f = new LinkedHashMap<>();
        family.forEach((k, v) -> f.put(k, fields(a, v[0].mean2(), b, v[1].mean2())));
        out.put(name, f);
    }

    private static Map<String, Object> fields(String a, Object va, String b, Object vb) {
        Map<String, Object> m = new LinkedHashMap<>(4);
        m.put(a, va);
        m.put(b, vb);
        return m;
    }

    /** A null name is keyed as "" (JSON object keys cannot be null). */
    private static boolean once(Set<String> seen, String name) {
        return seen.add(Objects.requireNonNullElse(name, ""));
    }

    private static Pair pair(Map<String, Stat[]> family, String name) {
        Stat[] stats = family.computeIfAbsent(Objects.requireNonNullElse(name, ""), k -> new Stat[] {new Stat(), new Stat()});
        return new Pair(stats);
    }

    private record Pair(Stat[] stats) {
        void add(long a, long b) {
            stats[0].add(a);
            stats[1].add(b);
        }
    }

    private static void mergeFamily(Map<String, Stat[]> into, Map<String, Stat[]> from) {
        from.forEach((k, v) -> {
            Stat[] mine = into.computeIfAbsent(k, x -> new Stat[] {new Stat(), new Stat()});
            mine[0].merge(v[0]);
            mine[1].merge(v[1]);
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Encoding: version, four families, CRC-32C of everything before it.
    // A stat is its count (once per key), zigzag min, max − min and, when max > min, sum − min × count (128-bit).

    byte[] encode() {
        SnapshotBlock.Sink out = new SnapshotBlock.Sink(256);
        out.raw(VERSION);
        out.varint(cores.size());
        for (Stat c : cores) {
            out.varint(c.count);
            c.writeTo(out, 0);
        }
        writeFamily(out, mounts, true);
        writeFamily(out, devices, false);
        writeFamily(out, interfaces, false);
        // Containers (docs/snapshot.md) follow only where there are any, so parts without them are as before; with
        // sensors or GPUs (version 2) every family is written, empty ones as a zero count.
        if (hasInventory()) {
            out.buffer()[0] = (byte) VERSION_INVENTORY;
            writeFamily(out, containers, false);
            writeFamily(out, temperatures, false);
            writeFamily(out, fans, false);
            writeFamily(out, gpus, false);
            writeFamily(out, gpuMemory, false);
        } else if (!containers.isEmpty()) {
            writeFamily(out, containers, false);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.buffer(), 0, out.size());
        int sum = (int) crc.getValue();
        out.raw(sum >>> 24).raw(sum >>> 16).raw(sum >>> 8).raw(sum);
        return out.toByteArray();
    }

    static DetailSeries decode(byte[] data) {
        if (data == null || data.length < 5) {
            throw new SnapshotBlock.Corrupt("Stored detail series is corrupt: " + (data == null ? "null" : data.length + " bytes"));
        }
        int end = data.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(data, 0, end);
        int stored = (data[end] & 0xFF) << 24 | (data[end + 1] & 0xFF) << 16 | (data[end + 2] & 0xFF) << 8 | (data[end + 3] & 0xFF);
        if ((int) crc.getValue() != stored) throw new SnapshotBlock.Corrupt("Stored detail series is corrupt: checksum mismatch");
        SnapshotBlock.Source in = new SnapshotBlock.Source(data, 0, end, "detail series");
        int version = in.raw();
        if (version != VERSION && version != VERSION_INVENTORY) {
            throw new SnapshotBlock.Corrupt("Stored detail series has unknown format version " + version);
        }
        DetailSeries d = new DetailSeries();
        int coreCount = in.count("cores", in.remaining() / 3);
        for (int i = 0; i < coreCount; i++) {
            long count = in.varint();
            d.cores.add(Stat.read(in, count, 0));
        }
        readFamily(in, d.mounts, true);
        readFamily(in, d.devices, false);
        readFamily(in, d.interfaces, false);
        if (version == VERSION_INVENTORY) {
            readFamily(in, d.containers, false);
            readFamily(in, d.temperatures, false);
            readFamily(in, d.fans, false);
            readFamily(in, d.gpus, false);
            readFamily(in, d.gpuMemory, false);
        } else if (in.remaining() > 0) {
            readFamily(in, d.containers, false);
        }
        if (in.remaining() != 0) throw in.corrupt(in.remaining() + " bytes left over");
        return d;
    }

    /** Mount sizes are whole blocks: their shared trailing zero bits are shifted out (one byte per mount). */
    private static void writeFamily(SnapshotBlock.Sink out, Map<String, Stat[]> family, boolean shifted) {
        out.varint(family.size());
        family.forEach((k, v) -> {
            out.string(k);
            out.varint(v[0].count);
            int shift = 0;
            if (shifted) {
                shift = Math.min(63, Math.min(v[0].trailingZeros(), v[1].trailingZeros()));
                out.raw(shift);
            }
            v[0].writeTo(out, shift);
            v[1].writeTo(out, shift);
        });
    }

    private static void readFamily(SnapshotBlock.Source in, Map<String, Stat[]> family, boolean shifted) {
        int keys = in.count("keys", in.remaining() / 6);
        for (int i = 0; i < keys; i++) {
            String key = in.string();
            long count = in.varint();
            int shift = shifted ? in.raw() : 0;
            if (shift > 63) throw in.corrupt("shift " + shift);
            Stat a = Stat.read(in, count, shift);
            Stat b = Stat.read(in, count, shift);
            if (family.put(key, new Stat[] {a, b}) != null) throw in.corrupt("key listed twice");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DetailSeries d)) return false;
        return cores.equals(d.cores) && same(mounts, d.mounts) && same(devices, d.devices) && same(interfaces, d.interfaces)
                && same(containers, d.containers) && same(temperatures, d.temperatures) && same(fans, d.fans)
                && same(gpus, d.gpus) && same(gpuMemory, d.gpuMemory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cores, mounts.keySet(), devices.keySet(), interfaces.keySet());
    }

    @Override
    public String toString() {
        return "DetailSeries" + averages();
    }

    private static boolean same(Map<String, Stat[]> a, Map<String, Stat[]> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (Map.Entry<String, Stat[]> e : a.entrySet()) {
            Stat[] other = b.get(e.getKey());
            if (!e.getValue()[0].equals(other[0]) || !e.getValue()[1].equals(other[1])) return false;
        }
        return true;
    }

    /** Count, min, max and a 128-bit sum (hi, lo) of integer samples. */
    static final class Stat {
        long count;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long sumHi;
        long sumLo;

        void add(long v) {
            count++;
            if (v < min) min = v;
            if (v > max) max = v;
            long lo = sumLo + v;
            sumHi += (v >> 63) + (Long.compareUnsigned(lo, sumLo) < 0 ? 1 : 0);
            sumLo = lo;
        }

        void merge(Stat o) {
            if (o.count == 0) return;
            count += o.count;
            min = Math.min(min, o.min);
            max = Math.max(max, o.max);
            long lo = sumLo + o.sumLo;
            sumHi += o.sumHi + (Long.compareUnsigned(lo, sumLo) < 0 ? 1 : 0);
            sumLo = lo;
        }

        BigInteger sum() {
            return BigInteger.valueOf(sumHi).shiftLeft(64).add(unsigned(sumLo));
        }

        /** The mean rounded half up to a whole unit; 0 with no samples. */
        long roundedMean() {
            if (count == 0) return 0;
            if (sumHi == (sumLo >> 63) && sumLo > -(1L << 61) && sumLo < (1L << 61) && count < (1L << 61)) {
                return Math.floorDiv(2 * sumLo + count, 2 * count);
            }
            BigInteger c = BigInteger.valueOf(count);
            BigInteger[] qr = sum().shiftLeft(1).add(c).divideAndRemainder(c.shiftLeft(1));
            return (qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0]).longValue();
        }

        /** The mean to 2 decimals. */
        double mean2() {
            if (count == 0) return 0;
            double mean = sumHi == (sumLo >> 63) ? (double) sumLo / count : sum().doubleValue() / count;
            return Math.round(mean * 100) / 100.0;
        }

        /**
         * min, max − min, then sum − min × count only when it can be non-zero, its 64-bit high half only when it can
         * be needed; all three without the {@code shift} low bits they share.
         */
        void writeTo(SnapshotBlock.Sink out, int shift) {
            out.signed(min >> shift);
            long range = max - min;
            out.varint(range >>> shift);
            if (range == 0) return;
            long[] offset = offset();
            long lo = shift == 0 ? offset[1] : (offset[1] >>> shift) | (offset[0] << (64 - shift));
            out.varint(lo);
            if (wide(range, count)) out.varint(offset[0] >>> shift);
        }

        /** The low zero bits min, max − min and the sum offset share (64 when all are 0). */
        int trailingZeros() {
            long range = max - min;
            long[] offset = offset();
            int offsetZeros = offset[1] != 0 ? Long.numberOfTrailingZeros(offset[1])
                    : offset[0] != 0 ? 64 + Long.numberOfTrailingZeros(offset[0]) : 128;
            return Math.min(Math.min(Long.numberOfTrailingZeros(min), Long.numberOfTrailingZeros(range)), offsetZeros);
        }

        /** sum − min × count as (hi, lo): in [0, range × count]. */
        private long[] offset() {
            long pLo = min * count;
            long pHi = Math.multiplyHigh(min, count);
            long lo = sumLo - pLo;
            long hi = sumHi - pHi - (Long.compareUnsigned(sumLo, pLo) < 0 ? 1 : 0);
            return new long[] {hi, lo};
        }

        /** Whether range × count may reach 2^64, so the offset needs its high half. */
        private static boolean wide(long range, long count) {
            return Math.unsignedMultiplyHigh(range, count) != 0;
        }

        static Stat read(SnapshotBlock.Source in, long count, int shift) {
            if (count <= 0) throw in.corrupt("a key with " + count + " samples");
            Stat s = new Stat();
            s.count = count;
            long min = in.signed();
            s.min = min << shift;
            if (s.min >> shift != min) throw in.corrupt("min beyond 64 bits");
            long storedRange = in.varint();
            long range = storedRange << shift;
            if (range >>> shift != storedRange) throw in.corrupt("range beyond 64 bits");
            if (Long.compareUnsigned(range, Long.MAX_VALUE - s.min) > 0) throw in.corrupt("max beyond 64 bits");
            s.max = s.min + range;
            long oLo = 0, oHi = 0;
            if (range != 0) {
                long lo = in.varint();
                long hi = wide(range, count) ? in.varint() : 0;
                // (hi, lo) << shift as an unsigned 128-bit number, without BigInteger: a 14-day chart decodes ~20,000
                // of these per query.
                if (shift > 0 && hi >>> (64 - shift) != 0) throw in.corrupt("sum beyond 128 bits");
                oHi = shift == 0 ? hi : hi << shift | lo >>> (64 - shift);
                oLo = lo << shift;
                // Within [0, range × count]: never more than every sample at max.
                long limitHi = Math.unsignedMultiplyHigh(range, count);
                long limitLo = range * count;
                int high = Long.compareUnsigned(oHi, limitHi);
                if (high > 0 || (high == 0 && Long.compareUnsigned(oLo, limitLo) > 0)) throw in.corrupt("sum outside min and max");
            }
            long pLo = s.min * count;
            long pHi = Math.multiplyHigh(s.min, count);
            s.sumLo = oLo + pLo;
            s.sumHi = oHi + pHi + (Long.compareUnsigned(s.sumLo, oLo) < 0 ? 1 : 0);
            return s;
        }

        private static BigInteger unsigned(long v) {
            BigInteger b = BigInteger.valueOf(v);
            return v >= 0 ? b : b.add(BigInteger.ONE.shiftLeft(64));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stat s && count == s.count && min == s.min && max == s.max && sumHi == s.sumHi && sumLo == s.sumLo;
        }

        @Override
        public int hashCode() {
            return Objects.hash(count, min, max, sumHi, sumLo);
        }
    }
}
