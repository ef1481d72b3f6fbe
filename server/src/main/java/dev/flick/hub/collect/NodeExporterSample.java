package dev.flick.hub.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.flick.collector.HostInfo;
import dev.flick.collector.ProcSample;

/**
 * node_exporter's metrics in the terms the collectors share ({@link ProcSample}), so {@code ProcSnapshotCalculator}
 * does the same arithmetic as for the local and SSH paths: CPU seconds become milliseconds (node_exporter reads
 * USER_HZ ticks, so nothing is lost), usage and rates come from the deltas of two scrapes. No processes: node_exporter
 * has none to give.
 */
final class NodeExporterSample {

    private NodeExporterSample() {}

    /** node_exporter's answer lacks what every node_exporter sends. */
    static final class NotNodeExporter extends Exception {
        NotNodeExporter() {
            super("The URL answers, but not like a node_exporter (no node_cpu_seconds_total or node_memory_MemTotal_bytes)",
                    null, false, false);
        }
    }

    static ProcSample of(Exposition e, long ts, long clockNanos) throws NotNodeExporter {
        if (!e.has("node_cpu_seconds_total") || !e.has("node_memory_MemTotal_bytes")) throw new NotNodeExporter();
        TreeMap<Integer, long[]> perCpu = new TreeMap<>();
        for (Exposition.Sample s : e.samples("node_cpu_seconds_total")) {
            int cpu;
            try {
                cpu = Integer.parseInt(s.labels().getOrDefault("cpu", ""));
            } catch (NumberFormatException ignored) {
                continue;
            }
            int mode = switch (s.labels().getOrDefault("mode", "")) {
                case "user" -> 0;
                case "nice" -> 1;
                case "system" -> 2;
                case "idle" -> 3;
                case "iowait" -> 4;
                case "irq" -> 5;
                case "softirq" -> 6;
                case "steal" -> 7;
                default -> -1;
            };
            if (mode >= 0) perCpu.computeIfAbsent(cpu, c -> new long[8])[mode] = Math.round(s.value() * 1000);
        }
        long[] all = new long[8];
        List<ProcSample.CpuTimes> cores = new ArrayList<>(perCpu.size());
        for (long[] t : perCpu.values()) {
            for (int i = 0; i < 8; i++) all[i] += t[i];
            cores.add(times(t));
        }
        long total = bytes(e, "node_memory_MemTotal_bytes");
        long available = e.has("node_memory_MemAvailable_bytes") ? bytes(e, "node_memory_MemAvailable_bytes")
                : bytes(e, "node_memory_MemFree_bytes") + bytes(e, "node_memory_Buffers_bytes") + bytes(e, "node_memory_Cached_bytes");
        long cached = bytes(e, "node_memory_Buffers_bytes") + bytes(e, "node_memory_Cached_bytes") + bytes(e, "node_memory_SReclaimable_bytes");
        ProcSample.Memory memory = new ProcSample.Memory(total, available, cached, bytes(e, "node_memory_SwapTotal_bytes"),
                bytes(e, "node_memory_SwapFree_bytes"));

        List<ProcSample.Filesystem> filesystems = new ArrayList<>();
        Map<String, Double> free = byLabels(e, "node_filesystem_free_bytes", "mountpoint");
        Map<String, Double> failed = byLabels(e, "node_filesystem_device_error", "mountpoint");
        for (Exposition.Sample s : e.samples("node_filesystem_size_bytes")) {
            String mount = s.labels().getOrDefault("mountpoint", "");
            Double f = free.get(mount);
            if (f == null || failed.getOrDefault(mount, 0.0) > 0 || s.value() <= 0) continue;
            long size = (long) s.value();
            filesystems.add(new ProcSample.Filesystem(mount, s.labels().getOrDefault("device", ""), s.labels().getOrDefault("fstype", ""),
                    size, Math.max(0, size - f.longValue())));
        }
        List<ProcSample.BlockDevice> devices = new ArrayList<>();
        Map<String, Double> written = byLabels(e, "node_disk_written_bytes_total", "device");
        for (Exposition.Sample s : e.samples("node_disk_read_bytes_total")) {
            String name = s.labels().getOrDefault("device", "");
            devices.add(new ProcSample.BlockDevice(name, (long) s.value(), written.getOrDefault(name, 0.0).longValue()));
        }
        List<ProcSample.NetInterface> interfaces = new ArrayList<>();
        Map<String, Double> tx = byLabels(e, "node_network_transmit_bytes_total", "device");
        for (Exposition.Sample s : e.samples("node_network_receive_bytes_total")) {
            String name = s.labels().getOrDefault("device", "");
            interfaces.add(new ProcSample.NetInterface(name, name.equals("lo"), (long) s.value(), tx.getOrDefault(name, 0.0).longValue()));
        }
        return new ProcSample(ts, clockNanos, times(all), cores, e.value("node_load1", 0), e.value("node_load5", 0),
                e.value("node_load15", 0), memory, filesystems, devices, interfaces, List.of(), Map.of());
    }

    /** What the machine is, from node_uname_info, node_os_info and the CPU and memory counts. */
    static HostInfo info(Exposition e) {
        Map<String, String> uname = e.samples("node_uname_info").isEmpty() ? Map.of() : e.samples("node_uname_info").getFirst().labels();
        Map<String, String> os = e.samples("node_os_info").isEmpty() ? Map.of() : e.samples("node_os_info").getFirst().labels();
        String model = e.samples("node_cpu_info").isEmpty() ? null : e.samples("node_cpu_info").getFirst().labels().get("model_name");
        long cores = e.samples("node_cpu_seconds_total").stream().map(s -> s.labels().get("cpu")).distinct().count();
        double boot = e.value("node_boot_time_seconds", 0), now = e.value("node_time_seconds", 0);
        String osName = os.getOrDefault("pretty_name", uname.getOrDefault("sysname", "Linux"));
        return new HostInfo(uname.getOrDefault("nodename", ""), osName, uname.getOrDefault("release", ""), model, (int) cores,
                bytes(e, "node_memory_MemTotal_bytes"), boot > 0 && now > boot ? (long) (now - boot) : 0);
    }

    private static ProcSample.CpuTimes times(long[] t) {
        return new ProcSample.CpuTimes(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
    }

    private static long bytes(Exposition e, String name) {
        double v = e.value(name, 0);
        return Double.isFinite(v) ? (long) v : 0;
    }

    private static Map<String, Double> byLabels(Exposition e, String name, String label) {
        Map<String, Double> out = new java.util.HashMap<>();
        for (Exposition.Sample s : e.samples(name)) out.putIfAbsent(s.labels().getOrDefault(label, ""), s.value());
        return out;
    }
}
