package dev.flick.hub.export;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.flick.collector.Snapshot;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Builds the exposition from what the hub holds: node_exporter's names and units for the host series, flick_* for
 * the rest, every series labelled server (name) and server_id. docs/prometheus.md says how each one is derived.
 */
final class NodeExposition {

    /** One server as the export sees it. latest and totals are null when nothing fresh is known. */
    record ServerView(String id, String name, String status, Snapshot latest, NodeCounters.Totals totals) {}

    /** An open alert event. */
    record OpenAlert(String serverId, String ruleId, String rule, String metric, String mount, String level) {}

    static final List<String> STATUSES = List.of("online", "offline", "pending", "error");

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final List<Labels> uname = new ArrayList<>();

    private NodeExposition() {}

    static MetricSnapshots build(List<ServerView> servers, List<OpenAlert> alerts) {
        NodeExposition e = new NodeExposition();
        Map<String, ServerView> byId = new LinkedHashMap<>();
        for (ServerView s : servers) {
            byId.put(s.id(), s);
            e.server(s);
        }
        Family firing = e.gauge("flick_alert_firing", "Open alert events (1 while firing), by rule, metric, level and mount", null);
        for (OpenAlert a : alerts) {
            ServerView s = byId.get(a.serverId());
            if (s == null) continue;
            firing.add(base(s).merge(new String[] {"rule_id", "rule", "metric", "level", "mount"},
                    new String[] {text(a.ruleId()), text(a.rule()), text(a.metric()), text(a.level()), text(a.mount())}), 1);
        }
        List<MetricSnapshot> out = new ArrayList<>();
        for (Family f : e.families.values()) if (!f.empty()) out.add(f.build());
        if (!e.uname.isEmpty()) {
            // node_uname_info: the writers add the _info suffix of an info metric.
            InfoSnapshot.Builder info = InfoSnapshot.builder().name("node_uname")
                    .help("The server's name as nodename, for dashboards that pick a host by it");
            for (Labels l : e.uname) info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(l).build());
            out.add(info.build());
        }
        return new MetricSnapshots(out);
    }

    private void server(ServerView s) {
        Labels base = base(s);
        boolean online = "online".equals(s.status());
        gauge("flick_server_up", "1 while the server reports (status online), else 0", null).add(base, online ? 1 : 0);
        Family status = gauge("flick_server_status", "The server's status: 1 for the current one", null);
        for (String st : STATUSES) status.add(base.add("status", st), st.equals(s.status()) ? 1 : 0);
        uname.add(base.add("nodename", text(s.name())));
        Snapshot snap = s.latest();
        if (!online || snap == null) return;
        gauge("flick_snapshot_timestamp_seconds", "Time of the latest snapshot", Unit.SECONDS).add(base, snap.ts() / 1000.0);

        if (snap.cpu() != null) {
            Snapshot.Cpu c = snap.cpu();
            gauge("node_load1", "1m load average", null).add(base, c.load1());
            gauge("node_load5", "5m load average", null).add(base, c.load5());
            gauge("node_load15", "15m load average", null).add(base, c.load15());
            gauge("flick_cpu_usage_percent", "Share of all CPU time not idle or iowait over the latest interval, 0-100", null)
                    .add(base, c.usage());
        }
        if (s.totals() != null) {
            Family cpu = counter("node_cpu_seconds", "Seconds the CPUs spent in each mode", Unit.SECONDS);
            double[][] t = s.totals().cpu();
            for (int i = 0; i < t.length; i++) {
                for (int m = 0; m < NodeCounters.MODES.length; m++) {
                    cpu.add(base.merge(new String[] {"cpu", "mode"}, new String[] {Integer.toString(i), NodeCounters.MODES[m]}), t[i][m]);
                }
            }
            Family read = counter("node_disk_read_bytes", "The total number of bytes read successfully", Unit.BYTES);
            Family written = counter("node_disk_written_bytes", "The total number of bytes written successfully", Unit.BYTES);
            s.totals().disks().forEach((device, v) -> {
                read.add(base.add("device", device), v[0]);
                written.add(base.add("device", device), v[1]);
            });
            Family rx = counter("node_network_receive_bytes", "Network device statistic receive_bytes", Unit.BYTES);
            Family tx = counter("node_network_transmit_bytes", "Network device statistic transmit_bytes", Unit.BYTES);
            s.totals().interfaces().forEach((device, v) -> {
                rx.add(base.add("device", device), v[0]);
                tx.add(base.add("device", device), v[1]);
            });
        }
        if (snap.memory() != null) {
            Snapshot.Memory m = snap.memory();
            gauge("node_memory_MemTotal_bytes", "Memory information field MemTotal_bytes", Unit.BYTES).add(base, m.total());
            gauge("node_memory_MemAvailable_bytes", "Memory information field MemAvailable_bytes", Unit.BYTES).add(base, m.available());
            gauge("node_memory_Cached_bytes", "Memory information field Cached_bytes", Unit.BYTES).add(base, m.cached());
            gauge("node_memory_SwapTotal_bytes", "Memory information field SwapTotal_bytes", Unit.BYTES).add(base, m.swapTotal());
            gauge("node_memory_SwapFree_bytes", "Memory information field SwapFree_bytes", Unit.BYTES)
                    .add(base, Math.max(0, m.swapTotal() - m.swapUsed()));
        }
        if (snap.disks() != null) {
            Family size = gauge("node_filesystem_size_bytes", "Filesystem size in bytes", Unit.BYTES);
            Family avail = gauge("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes", Unit.BYTES);
            Family free = gauge("node_filesystem_free_bytes", "Filesystem free space in bytes", Unit.BYTES);
            for (Snapshot.Disk d : snap.disks()) {
                Labels l = base.merge(new String[] {"device", "fstype", "mountpoint"},
                        new String[] {text(d.device()), text(d.fs()), text(d.mount())});
                size.add(l, d.total());
                avail.add(l, Math.max(0, d.total() - d.used()));
                free.add(l, Math.max(0, d.total() - d.used()));
            }
        }
        if (snap.processes() != null) {
            gauge("flick_processes", "Processes on the server", null).add(base, snap.processes().count());
            Family pcpu = gauge("flick_process_cpu_percent", "CPU of a top process, percent of one core (like top)", null);
            Family rss = gauge("flick_process_resident_memory_bytes", "Resident memory of a top process", Unit.BYTES);
            if (snap.processes().top() != null) {
                for (Snapshot.Processes.Process p : snap.processes().top()) {
                    Labels l = base.merge(new String[] {"name", "pid", "user"},
                            new String[] {text(p.name()), Integer.toString(p.pid()), text(p.user())});
                    pcpu.add(l, p.cpu());
                    rss.add(l, p.rss());
                }
            }
        }
    }

    private static Labels base(ServerView s) {
        return Labels.of("server", text(s.name()), "server_id", s.id());
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private Family gauge(String name, String help, Unit unit) {
        return families.computeIfAbsent(name, n -> new Family(n, help, unit, false));
    }

    private Family counter(String name, String help, Unit unit) {
        return families.computeIfAbsent(name, n -> new Family(n, help, unit, true));
    }

    /** One metric family being filled; a repeated label set (two mounts of one device, say) keeps the first. */
    private static final class Family {
        private final String name;
        private final String help;
        private final Unit unit;
        private final boolean counter;
        private final Set<Labels> seen = new HashSet<>();
        private final List<GaugeDataPointSnapshot> gauges = new ArrayList<>();
        private final List<CounterDataPointSnapshot> counters = new ArrayList<>();

        Family(String name, String help, Unit unit, boolean counter) {
            this.name = name;
            this.help = help;
            this.unit = unit;
            this.counter = counter;
        }

        void add(Labels labels, double value) {
            if (!Double.isFinite(value) || !seen.add(labels)) return;
            if (counter) counters.add(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
            else gauges.add(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        boolean empty() {
            return seen.isEmpty();
        }

        MetricSnapshot build() {
            if (counter) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                if (unit != null) b.unit(unit);
                counters.forEach(b::dataPoint);
                return b.build();
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            if (unit != null) b.unit(unit);
            gauges.forEach(b::dataPoint);
            return b.build();
        }
    }
}
