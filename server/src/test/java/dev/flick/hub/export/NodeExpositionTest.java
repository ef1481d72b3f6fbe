package dev.flick.hub.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.flick.collector.Snapshot;
import dev.flick.hub.Requirements;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.junit.jupiter.api.Test;

/** The exposition's names, labels, units and escaping, checked by promtool, and the counters derived from rates. */
class NodeExpositionTest {

    static Snapshot snapshot(String id, long ts, double[] cores, double readBps, double rxBps) {
        return new Snapshot(id, ts,
                new Snapshot.Cpu(50, 30, 15, 10, 5, cores, 0.5, 0.4, 0.3),
                new Snapshot.Memory(8_000_000_000L, 3_000_000_000L, 5_000_000_000L, 1_000_000_000L, 2_000_000_000L, 500_000_000L),
                List.of(new Snapshot.Disk("/", "/dev/vda1", "ext4", 100_000_000_000L, 40_000_000_000L)),
                new Snapshot.DiskIo(readBps, 2 * readBps, List.of(new Snapshot.DiskIo.Device("vda", readBps, 2 * readBps))),
                new Snapshot.Network(rxBps, rxBps / 2, List.of(new Snapshot.Network.Interface("eth0", rxBps, rxBps / 2),
                        new Snapshot.Network.Interface("lo", 10, 10))),
                new Snapshot.Processes(120, List.of(new Snapshot.Processes.Process(42, "java", "flick", 150.5, 300_000_000L, "java -jar x"))));
    }

    static String text(MetricSnapshots s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, s);
        return out.toString(StandardCharsets.UTF_8);
    }

    static MetricSnapshots exposition(String name, Snapshot latest, NodeCounters counters) {
        return NodeExposition.build(List.of(new NodeExposition.ServerView(latest.serverId(), name, "online", latest,
                counters.totals(latest.serverId()))), List.of(new NodeExposition.OpenAlert(latest.serverId(), "r1", "CPU high",
                "cpu.usage", null, "warning")));
    }

    @Test
    void countersAccumulateRatesAndSharesOverTheSecondsBetweenSnapshots() {
        NodeCounters counters = new NodeCounters(1_000);
        long t0 = 1_764_150_000_000L;
        counters.onSnapshot(snapshot("s1", t0, new double[] {40, 60}, 1_000, 500));
        counters.onSnapshot(snapshot("s1", t0 + 2_000, new double[] {40, 60}, 1_000, 500));
        counters.onSnapshot(snapshot("s1", t0 + 3_000, new double[] {40, 60}, 3_000, 500));
        counters.onSnapshot(snapshot("s1", t0 + 3_000, new double[] {40, 60}, 99_999, 500)); // not newer: ignored
        NodeCounters.Totals t = counters.totals("s1");
        // The first snapshot starts at zero; then 2 s at 1,000 B/s and 1 s at 3,000 B/s.
        assertThat(t.disks().get("vda")[0]).isCloseTo(5_000, within(1e-6));
        assertThat(t.disks().get("vda")[1]).isCloseTo(10_000, within(1e-6));
        assertThat(t.interfaces().get("eth0")[0]).isCloseTo(1_500, within(1e-6));
        // core 0 busy 40 % of 3 s, split user:system:steal = 30:15:5; the rest iowait:idle = 10:40.
        double[] core0 = t.cpu()[0];
        assertThat(core0[0] + core0[1] + core0[2] + core0[3] + core0[4]).isCloseTo(3.0, within(1e-9));
        assertThat(core0[0]).isCloseTo(1.2 * 30 / 50, within(1e-9));
        assertThat(core0[1]).isCloseTo(1.2 * 15 / 50, within(1e-9));
        assertThat(core0[2]).isCloseTo(1.2 * 5 / 50, within(1e-9));
        assertThat(core0[3]).isCloseTo(1.8 * 10 / 50, within(1e-9));
        assertThat(core0[4]).isCloseTo(1.8 * 40 / 50, within(1e-9));
        assertThat(t.cpu()[1][4]).isCloseTo(1.2 * 40 / 50, within(1e-9));
    }

    @Test
    void aGapCountsAsOneOrdinaryStepNotAsTheWholeOutage() {
        NodeCounters counters = new NodeCounters(1_000);
        long t0 = 1_764_150_000_000L;
        counters.onSnapshot(snapshot("s1", t0, new double[] {10}, 1_000, 0));
        counters.onSnapshot(snapshot("s1", t0 + 1_000, new double[] {10}, 1_000, 0));
        counters.onSnapshot(snapshot("s1", t0 + 3_600_000, new double[] {10}, 1_000, 0));
        assertThat(counters.totals("s1").disks().get("vda")[0]).isCloseTo(2_000, within(1e-6));
    }

    @Test
    void usesNodeExporterNamesUnitsAndLabels() throws Exception {
        NodeCounters counters = new NodeCounters(1_000);
        long t0 = 1_764_150_000_000L;
        counters.onSnapshot(snapshot("s1", t0, new double[] {40, 60}, 1_000, 500));
        Snapshot latest = snapshot("s1", t0 + 1_000, new double[] {40, 60}, 1_000, 500);
        counters.onSnapshot(latest);
        String body = text(exposition("web-1", latest, counters));
        Map<String, Double> v = samples(body);
        String s = "server=\"web-1\",server_id=\"s1\"";
        assertThat(v).containsEntry("node_memory_MemTotal_bytes{" + s + "}", 8e9)
                .containsEntry("node_memory_MemAvailable_bytes{" + s + "}", 5e9)
                .containsEntry("node_memory_Cached_bytes{" + s + "}", 1e9)
                .containsEntry("node_memory_SwapTotal_bytes{" + s + "}", 2e9)
                .containsEntry("node_memory_SwapFree_bytes{" + s + "}", 1.5e9)
                .containsEntry("node_filesystem_size_bytes{device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"," + s + "}", 1e11)
                .containsEntry("node_filesystem_avail_bytes{device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"," + s + "}", 6e10)
                .containsEntry("node_filesystem_free_bytes{device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"," + s + "}", 6e10)
                .containsEntry("node_disk_read_bytes_total{device=\"vda\"," + s + "}", 1_000.0)
                .containsEntry("node_disk_written_bytes_total{device=\"vda\"," + s + "}", 2_000.0)
                .containsEntry("node_network_receive_bytes_total{device=\"eth0\"," + s + "}", 500.0)
                .containsEntry("node_network_transmit_bytes_total{device=\"lo\"," + s + "}", 10.0)
                .containsEntry("node_load1{" + s + "}", 0.5)
                .containsEntry("node_load15{" + s + "}", 0.3)
                .containsEntry("flick_server_up{" + s + "}", 1.0)
                .containsEntry("flick_server_status{" + s + ",status=\"online\"}", 1.0)
                .containsEntry("flick_server_status{" + s + ",status=\"offline\"}", 0.0)
                .containsEntry("flick_process_cpu_percent{name=\"java\",pid=\"42\"," + s + ",user=\"flick\"}", 150.5)
                .containsEntry("flick_process_resident_memory_bytes{name=\"java\",pid=\"42\"," + s + ",user=\"flick\"}", 3e8)
                .containsEntry("flick_alert_firing{level=\"warning\",metric=\"cpu.usage\",mount=\"\",rule=\"CPU high\",rule_id=\"r1\"," + s + "}", 1.0);
        assertThat(v.get("node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"," + s + "}")).isCloseTo(0.4 * 40 / 50, within(1e-9));
        assertThat(v.keySet().stream().filter(k -> k.startsWith("node_cpu_seconds_total{")).count()).isEqualTo(2 * 5);
        assertThat(body).contains("# TYPE node_cpu_seconds_total counter").contains("# TYPE node_memory_MemTotal_bytes gauge");
        promtoolAccepts(body);
    }

    @Test
    void escapesQuotesBackslashesAndNewlinesInLabelValues() throws Exception {
        NodeCounters counters = new NodeCounters(1_000);
        Snapshot latest = snapshot("s\"1", 1_764_150_000_000L, new double[] {1}, 0, 0);
        counters.onSnapshot(latest);
        String body = text(exposition("a \"quoted\" \\ name\nwith a line", latest, counters));
        assertThat(body).contains("server=\"a \\\"quoted\\\" \\\\ name\\nwith a line\",server_id=\"s\\\"1\"");
        assertThat(body.lines().filter(l -> l.startsWith("with a line"))).isEmpty();
        promtoolAccepts(body);
    }

    @Test
    void offlineServersHaveOnlyTheirStatus() throws Exception {
        Snapshot latest = snapshot("s1", 1_764_150_000_000L, new double[] {1}, 0, 0);
        String body = text(NodeExposition.build(List.of(new NodeExposition.ServerView("s1", "db", "offline", latest, null)), List.of()));
        assertThat(samples(body)).containsEntry("flick_server_up{server=\"db\",server_id=\"s1\"}", 0.0)
                .containsEntry("flick_server_status{server=\"db\",server_id=\"s1\",status=\"offline\"}", 1.0);
        assertThat(body).doesNotContain("node_memory").doesNotContain("node_cpu");
        promtoolAccepts(body);
    }

    @Test
    void openMetricsCarriesUnitsAndEof() throws Exception {
        NodeCounters counters = new NodeCounters(1_000);
        counters.onSnapshot(snapshot("s1", 1_764_150_000_000L, new double[] {1}, 0, 0));
        Snapshot latest = snapshot("s1", 1_764_150_001_000L, new double[] {1}, 0, 0);
        counters.onSnapshot(latest);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenMetricsTextFormatWriter w = OpenMetricsTextFormatWriter.create();
        assertThat(w.accepts("application/openmetrics-text; version=1.0.0; charset=utf-8")).isTrue();
        w.write(out, exposition("web-1", latest, counters));
        String body = out.toString(StandardCharsets.UTF_8);
        assertThat(body).contains("# UNIT node_memory_MemTotal_bytes bytes").contains("# TYPE node_cpu_seconds counter")
                .contains("node_cpu_seconds_total{").endsWith("# EOF\n");
    }

    /** name{labels} → value for every sample line. */
    static Map<String, Double> samples(String body) {
        Map<String, Double> out = new java.util.HashMap<>();
        Pattern line = Pattern.compile("^(\\S+\\{.*\\}|\\S+) (\\S+)$");
        for (String l : body.lines().toList()) {
            if (l.startsWith("#") || l.isBlank()) continue;
            Matcher m = line.matcher(l);
            if (m.matches()) out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    static void promtoolAccepts(String body) throws Exception {
        Requirements.prometheus();
        List<String> cmd = new ArrayList<>(List.of(Requirements.PROMTOOL.toString(), "check", "metrics"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(body.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // promtool lints too: the one lint allowed is node_exporter's own camelCase in node_memory_* names.
        for (String l : said.lines().filter(l -> !l.isBlank()).toList()) {
            assertThat(l).matches("node_memory_\\w+ metric names should be written in 'snake_case' not 'camelCase'");
        }
        assertThat(p.exitValue()).as(said).isIn(0, 3);
    }
}
