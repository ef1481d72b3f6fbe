package dev.flick.hub.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The host-inventory part of a {@link SnapshotBlock} (issue 12): sensors, GPUs, disk health, services and the top
 * processes' I/O rates, as one tagged part after the block's own columns, written only when some snapshot of the
 * block has any of them (so blocks of hosts without them are as before, and blocks written before read as "not
 * collected").
 *
 * <p>Sensors and GPUs are keyed by an identity table (chip, label, kind and thresholds; id, name, vendor, memory
 * total) and their values stored as columns keyed by identity, like disks; a value that is unknown is marked in a
 * mask column rather than as a number. Disk health and services change every 15 minutes and 30 seconds: each is
 * stored as its JSON text in the block's string table, so a minute of the same text costs one reference a snapshot.
 * Precision as the JSON: hundredths for temperatures, utilisation and watts, whole bytes and RPM hundredths.
 */
final class InventoryColumns {

    /** The tag of this part after the block's columns. */
    static final int TAG = 'I';

    enum Col {
        /** Per snapshot: which sections are present (bit 0 sensors, 1 gpus, 2 diskHealth, 3 services), and list sizes. */
        PRESENT, SENSOR_COUNT, GPU_COUNT,
        SENSOR_ID, SENSOR_VALUE,
        GPU_ID, GPU_MASK, GPU_UTIL, GPU_MEM_USED, GPU_TEMP, GPU_POWER,
        DISK_HEALTH, SERVICES,
        /** Per top process (key: the block's process id): rate + 1 in whole B/s, 0 when unknown. */
        PROC_READ, PROC_WRITE;

        static final Col[] ALL = values();
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private InventoryColumns() {}

    private record SensorKey(int chip, int label, int kind, long max, long critical) {}

    private record GpuKey(int id, int name, int vendor, long memoryTotal) {}

    /** Collects the part while the block's encoder adds snapshots; strings go to the block's own table. */
    static final class Writer {
        private final ToIntFunction<String> strings;
        private final SnapshotBlock.ColumnWriter[] columns = new SnapshotBlock.ColumnWriter[Col.ALL.length];
        private final Map<SensorKey, Integer> sensors = new HashMap<>();
        private final List<SensorKey> sensorList = new ArrayList<>();
        private final Map<GpuKey, Integer> gpus = new HashMap<>();
        private final List<GpuKey> gpuList = new ArrayList<>();
        private boolean any;

        Writer(ToIntFunction<String> strings) {
            this.strings = strings;
            for (int i = 0; i < columns.length; i++) {
                Col c = Col.ALL[i];
                boolean reference = c == Col.SENSOR_ID || c == Col.GPU_ID || c == Col.DISK_HEALTH || c == Col.SERVICES
                        || c == Col.PRESENT || c == Col.GPU_MASK;
                columns[i] = new SnapshotBlock.ColumnWriter(reference ? SnapshotBlock.RAW : SnapshotBlock.DELTA2);
            }
        }

        private SnapshotBlock.ColumnWriter col(Col c) {
            return columns[c.ordinal()];
        }

        void add(Snapshot s) {
            int present = (s.sensors() != null ? 1 : 0) | (s.gpus() != null ? 2 : 0) | (s.diskHealth() != null ? 4 : 0)
                    | (s.services() != null ? 8 : 0);
            any |= present != 0;
            col(Col.PRESENT).add(0, present);
            List<Snapshot.Sensor> sl = s.sensors() == null ? List.of() : s.sensors();
            col(Col.SENSOR_COUNT).add(0, sl.size());
            for (int i = 0; i < sl.size(); i++) {
                Snapshot.Sensor x = sl.get(i);
                SensorKey key = new SensorKey(strings.applyAsInt(x.chip()), strings.applyAsInt(x.label()), x.kind().ordinal(),
                        optional(x.max()), optional(x.critical()));
                Integer id = sensors.get(key);
                if (id == null) {
                    id = sensorList.size();
                    sensorList.add(key);
                    sensors.put(key, id);
                }
                col(Col.SENSOR_ID).add(i, id);
                col(Col.SENSOR_VALUE).add(id, SnapshotBlock.hundredths(x.value()));
            }
            List<Snapshot.Gpu> gl = s.gpus() == null ? List.of() : s.gpus();
            col(Col.GPU_COUNT).add(0, gl.size());
            for (int i = 0; i < gl.size(); i++) {
                Snapshot.Gpu g = gl.get(i);
                GpuKey key = new GpuKey(strings.applyAsInt(g.id()), strings.applyAsInt(g.name()), g.vendor().ordinal(), g.memoryTotal());
                Integer id = gpus.get(key);
                if (id == null) {
                    id = gpuList.size();
                    gpuList.add(key);
                    gpus.put(key, id);
                }
                col(Col.GPU_ID).add(i, id);
                int mask = (Double.isFinite(g.utilization()) ? 1 : 0) | (g.memoryUsed() >= 0 ? 2 : 0)
                        | (Double.isFinite(g.temperature()) ? 4 : 0) | (Double.isFinite(g.power()) ? 8 : 0);
                col(Col.GPU_MASK).add(id, mask);
                col(Col.GPU_UTIL).add(id, SnapshotBlock.hundredths(g.utilization()));
                col(Col.GPU_MEM_USED).add(id, Math.max(0, g.memoryUsed()));
                col(Col.GPU_TEMP).add(id, SnapshotBlock.hundredths(g.temperature()));
                col(Col.GPU_POWER).add(id, SnapshotBlock.hundredths(g.power()));
            }
            col(Col.DISK_HEALTH).add(0, s.diskHealth() == null ? 0
                    : strings.applyAsInt(SnapshotJson.diskHealth(new StringBuilder(), s.diskHealth()).toString()));
            col(Col.SERVICES).add(0, s.services() == null ? 0
                    : strings.applyAsInt(SnapshotJson.services(new StringBuilder(), s.services()).toString()));
        }

        /** One top process's rates, keyed by the block's process id. */
        void process(int id, Snapshot.Processes.Process p) {
            any |= Double.isFinite(p.readBps()) || Double.isFinite(p.writeBps());
            col(Col.PROC_READ).add(id, rate(p.readBps()));
            col(Col.PROC_WRITE).add(id, rate(p.writeBps()));
        }

        /** Whether the part is needed at all. */
        boolean any() {
            return any;
        }

        void writeTo(SnapshotBlock.Sink out) {
            out.varint(sensorList.size());
            for (SensorKey k : sensorList) {
                out.varint(k.chip()).varint(k.label()).varint(k.kind()).signed(k.max()).signed(k.critical());
            }
            out.varint(gpuList.size());
            for (GpuKey k : gpuList) out.varint(k.id()).varint(k.name()).varint(k.vendor()).signed(k.memoryTotal());
            SnapshotBlock.Sink body = new SnapshotBlock.Sink(256);
            for (SnapshotBlock.ColumnWriter c : columns) {
                int before = body.size();
                c.writeTo(body);
                out.varint(body.size() - before);
            }
            out.bytes(body.buffer(), 0, body.size());
        }
    }

    /** Reads the part back, snapshot by snapshot, in the order the block's decoder asks. */
    static final class Reader {
        private final String[] strings;
        private final int[] sensorChip, sensorLabel, sensorKind;
        private final double[] sensorMax, sensorCritical;
        private final int[] gpuId, gpuName, gpuVendor;
        private final long[] gpuMemoryTotal;
        private final SnapshotBlock.ColumnReader[] columns = new SnapshotBlock.ColumnReader[Col.ALL.length];
        private final Map<Integer, Snapshot.DiskHealth> health = new HashMap<>();
        private final Map<Integer, Snapshot.Services> services = new HashMap<>();

        Reader(SnapshotBlock.Source in, String[] strings) {
            this.strings = strings;
            int n = in.count("sensors", in.remaining() / 5);
            sensorChip = new int[n];
            sensorLabel = new int[n];
            sensorKind = new int[n];
            sensorMax = new double[n];
            sensorCritical = new double[n];
            for (int i = 0; i < n; i++) {
                sensorChip[i] = ref(in, in.varint());
                sensorLabel[i] = ref(in, in.varint());
                long kind = in.varint();
                if (kind < 0 || kind >= Snapshot.SensorKind.values().length) throw in.corrupt("sensor kind " + kind);
                sensorKind[i] = (int) kind;
                sensorMax[i] = fromOptional(in.signed());
                sensorCritical[i] = fromOptional(in.signed());
            }
            int g = in.count("gpus", in.remaining() / 4);
            gpuId = new int[g];
            gpuName = new int[g];
            gpuVendor = new int[g];
            gpuMemoryTotal = new long[g];
            for (int i = 0; i < g; i++) {
                gpuId[i] = ref(in, in.varint());
                gpuName[i] = ref(in, in.varint());
                long vendor = in.varint();
                if (vendor < 0 || vendor >= Snapshot.GpuVendor.values().length) throw in.corrupt("gpu vendor " + vendor);
                gpuVendor[i] = (int) vendor;
                gpuMemoryTotal[i] = in.signed();
            }
            int[] lengths = new int[columns.length];
            for (int i = 0; i < columns.length; i++) lengths[i] = in.count("inventory column length", in.remaining());
            for (int i = 0; i < columns.length; i++) {
                if (lengths[i] > in.remaining()) throw in.corrupt("inventory column " + Col.ALL[i] + " runs past the end");
                columns[i] = new SnapshotBlock.ColumnReader(in.slice(lengths[i], Col.ALL[i].name()));
            }
            if (in.remaining() != 0) throw in.corrupt(in.remaining() + " bytes after the inventory columns");
        }

        private SnapshotBlock.ColumnReader col(Col c) {
            return columns[c.ordinal()];
        }

        private int ref(SnapshotBlock.Source in, long r) {
            if (r < 0 || r >= strings.length) throw in.corrupt("string " + r + " of " + (strings.length - 1));
            return (int) r;
        }

        /** {@code base} with the next snapshot's sections. */
        Snapshot next(Snapshot base) {
            long present = col(Col.PRESENT).next(0);
            int sensorCount = count(col(Col.SENSOR_COUNT), col(Col.SENSOR_ID));
            List<Snapshot.Sensor> sl = new ArrayList<>(sensorCount);
            for (int i = 0; i < sensorCount; i++) {
                int id = id(col(Col.SENSOR_ID).next(i), sensorChip.length, col(Col.SENSOR_ID));
                sl.add(new Snapshot.Sensor(strings[sensorChip[id]], strings[sensorLabel[id]], Snapshot.SensorKind.values()[sensorKind[id]],
                        col(Col.SENSOR_VALUE).next(id) / 100.0, sensorMax[id], sensorCritical[id]));
            }
            int gpuCount = count(col(Col.GPU_COUNT), col(Col.GPU_ID));
            List<Snapshot.Gpu> gl = new ArrayList<>(gpuCount);
            for (int i = 0; i < gpuCount; i++) {
                int id = id(col(Col.GPU_ID).next(i), gpuId.length, col(Col.GPU_ID));
                long mask = col(Col.GPU_MASK).next(id);
                long util = col(Col.GPU_UTIL).next(id), used = col(Col.GPU_MEM_USED).next(id);
                long temp = col(Col.GPU_TEMP).next(id), power = col(Col.GPU_POWER).next(id);
                gl.add(new Snapshot.Gpu(strings[gpuId[id]], strings[gpuName[id]], Snapshot.GpuVendor.values()[gpuVendor[id]],
                        (mask & 1) != 0 ? util / 100.0 : Double.NaN, (mask & 2) != 0 ? used : -1, gpuMemoryTotal[id],
                        (mask & 4) != 0 ? temp / 100.0 : Double.NaN, (mask & 8) != 0 ? power / 100.0 : Double.NaN));
            }
            int healthRef = id(col(Col.DISK_HEALTH).next(0), strings.length, col(Col.DISK_HEALTH));
            int servicesRef = id(col(Col.SERVICES).next(0), strings.length, col(Col.SERVICES));
            Snapshot.DiskHealth dh = (present & 4) == 0 || healthRef == 0 ? null : health.computeIfAbsent(healthRef,
                    r -> InventoryJson.attach(base, wrap("diskHealth", strings[r]), false).diskHealth());
            Snapshot.Services sv = (present & 8) == 0 || servicesRef == 0 ? null : services.computeIfAbsent(servicesRef,
                    r -> InventoryJson.attach(base, wrap("services", strings[r]), false).services());
            return new Snapshot(base.serverId(), base.ts(), base.cpu(), base.memory(), base.disks(), base.diskIo(), base.network(),
                    base.processes(), base.containers(), (present & 1) != 0 ? List.copyOf(sl) : null,
                    (present & 2) != 0 ? List.copyOf(gl) : null, dh, sv);
        }

        /** A top process's read and write rates (NaN: unknown), keyed by the block's process id. */
        double read(int id) {
            return rate(col(Col.PROC_READ).next(id));
        }

        double write(int id) {
            return rate(col(Col.PROC_WRITE).next(id));
        }

        /** Whether every column was read to its end (the process ones may be left unread on purpose). */
        void checkDrained(boolean withProcesses) {
            for (Col c : Col.ALL) {
                if (!withProcesses && (c == Col.PROC_READ || c == Col.PROC_WRITE)) continue;
                SnapshotBlock.ColumnReader r = col(c);
                if (r.source.remaining() != 0) throw r.source.corrupt(r.source.remaining() + " bytes left over");
            }
        }

        private static JsonNode wrap(String field, String json) {
            try {
                return JSON.createObjectNode().set(field, JSON.readTree(json));
            } catch (RuntimeException e) {
                throw new SnapshotBlock.Corrupt("Stored " + field + " text is unreadable", e);
            }
        }

        private static int count(SnapshotBlock.ColumnReader sizes, SnapshotBlock.ColumnReader items) {
            long n = sizes.next(0);
            if (n < 0 || n > items.source.remaining()) throw sizes.source.corrupt("list of " + n);
            return (int) n;
        }

        private static int id(long value, int bound, SnapshotBlock.ColumnReader from) {
            if (value < 0 || value >= bound) throw from.source.corrupt("reference " + value + " of " + bound);
            return (int) value;
        }
    }

    /** A threshold that may be unknown: 0 is NaN, so hundredths ≥ 0 are stored one up. */
    private static long optional(double v) {
        if (!Double.isFinite(v)) return 0;
        long h = SnapshotBlock.hundredths(v);
        return h >= 0 ? h + 1 : h;
    }

    private static double fromOptional(long v) {
        return v == 0 ? Double.NaN : (v > 0 ? v - 1 : v) / 100.0;
    }

    private static long rate(double v) {
        return Double.isFinite(v) && v >= 0 ? SnapshotBlock.whole(v) + 1 : 0;
    }

    private static double rate(long stored) {
        return stored <= 0 ? Double.NaN : stored - 1;
    }
}
