package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.flick.collector.ProcSnapshotCalculator;
import dev.flick.collector.Snapshot;

import org.junit.jupiter.api.Test;

class ExpositionTest {

    @Test
    void readsHelpTypeLabelsEscapesAndSpecialValues() throws Exception {
        Exposition e = Exposition.parse("""
                # HELP node_filesystem_avail_bytes Filesystem space available to non-root users in bytes.\\nSecond line \\\\ done
                # TYPE node_filesystem_avail_bytes gauge
                node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 1.2345e+10
                # just a comment, ignored
                msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
                with_trailing_comma{a="1",} 3 1395066363000
                spaced { a = "x" , b="y"}\t+Inf
                minus_inf -Inf
                not_a_number NaN
                metric:with_colon 7
                """);
        assertThat(e.type("node_filesystem_avail_bytes")).isEqualTo("gauge");
        assertThat(e.help("node_filesystem_avail_bytes")).isEqualTo("Filesystem space available to non-root users in bytes.\nSecond line \\ done");
        assertThat(e.samples("node_filesystem_avail_bytes").getFirst().labels())
                .containsExactly(Map.entry("device", "/dev/sda1"), Map.entry("fstype", "ext4"), Map.entry("mountpoint", "/"));
        assertThat(e.value("node_filesystem_avail_bytes", 0)).isEqualTo(1.2345e10);
        Map<String, String> msdos = e.samples("msdos_file_access_time_seconds").getFirst().labels();
        assertThat(msdos.get("path")).isEqualTo("C:\\DIR\\FILE.TXT");
        assertThat(msdos.get("error")).isEqualTo("Cannot find file:\n\"FILE.TXT\"");
        assertThat(e.samples("with_trailing_comma").getFirst().labels()).containsEntry("a", "1");
        assertThat(e.value("spaced", 0)).isInfinite().isPositive();
        assertThat(e.samples("spaced").getFirst().labels()).containsEntry("a", "x").containsEntry("b", "y");
        assertThat(e.value("minus_inf", 0)).isInfinite().isNegative();
        assertThat(e.value("not_a_number", 0)).isNaN();
        assertThat(e.value("metric:with_colon", 0)).isEqualTo(7);
        assertThat(e.size()).isEqualTo(7);
    }

    @Test
    void histogramsAndSummariesAreReadAsPlainSamples() throws Exception {
        Exposition e = Exposition.parse("""
                # HELP go_gc_duration_seconds A summary of the pause duration of garbage collection cycles.
                # TYPE go_gc_duration_seconds summary
                go_gc_duration_seconds{quantile="0"} 2.1e-05
                go_gc_duration_seconds{quantile="1"} 0.000123
                go_gc_duration_seconds_sum 0.0123
                go_gc_duration_seconds_count 42
                # TYPE http_request_duration_seconds histogram
                http_request_duration_seconds_bucket{le="0.05"} 24054
                http_request_duration_seconds_bucket{le="+Inf"} 144320
                http_request_duration_seconds_sum 53423
                http_request_duration_seconds_count 144320
                node_load1 0.5
                """);
        assertThat(e.samples("go_gc_duration_seconds")).hasSize(2);
        assertThat(e.samples("http_request_duration_seconds_bucket")).hasSize(2);
        assertThat(e.value("node_load1", 0)).isEqualTo(0.5);
    }

    @Test
    void malformedLinesFailTheScrapeWithTheirLineNumber() {
        assertThatThrownBy(() -> Exposition.parse("ok 1\n<html><body>Hello</body></html>\n"))
                .isInstanceOf(Exposition.Malformed.class).hasMessageStartingWith("line 2:").hasMessageNotContaining("Hello");
        assertThatThrownBy(() -> Exposition.parse("m{a=\"1} 2")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> Exposition.parse("m{a=\"\\x\"} 2")).hasMessageContaining("unknown escape");
        assertThatThrownBy(() -> Exposition.parse("m{a=\"1\",a=\"2\"} 2")).hasMessageContaining("twice");
        assertThatThrownBy(() -> Exposition.parse("m one")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Exposition.parse("m 1 later")).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> Exposition.parse("m 1 2 3")).hasMessageContaining("unexpected text");
        assertThatThrownBy(() -> Exposition.parse("# TYPE m widget\nm 1")).hasMessageContaining("unknown metric type");
        assertThatThrownBy(() -> Exposition.parse("# TYPE m gauge\n# TYPE m counter\n")).hasMessageContaining("second TYPE");
        assertThatThrownBy(() -> Exposition.parse("{a=\"1\"} 2")).hasMessageContaining("metric name");
    }

    @Test
    void nodeExporterCountersBecomeUsageAndRatesFromTheirDeltas() throws Exception {
        String first = node(100, 50, 1000, 10, 5_000, 8_000);
        String second = node(103, 51, 1005, 11, 5_000 + 2_000_000, 8_000 + 500_000);
        ProcSnapshotCalculator calc = new ProcSnapshotCalculator("s");
        calc.next(NodeExporterSample.of(Exposition.parse(first), 1_000, 1_000_000_000L));
        Snapshot s = calc.next(NodeExporterSample.of(Exposition.parse(second), 3_000, 3_000_000_000L));
        // cpu0: user +3, system +1, idle +5, iowait +1 → 10 s, busy 4 s; cpu1 the same
        assertThat(s.cpu().usage()).isCloseTo(40.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.cpu().user()).isCloseTo(30.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.cpu().iowait()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.cpu().cores()).hasSize(2);
        assertThat(s.cpu().load1()).isEqualTo(0.25);
        assertThat(s.memory().total()).isEqualTo(8_000_000_000L);
        assertThat(s.memory().used()).isEqualTo(3_000_000_000L);
        assertThat(s.memory().swapUsed()).isEqualTo(250_000_000L);
        assertThat(s.disks()).extracting(Snapshot.Disk::mount).containsExactly("/");
        assertThat(s.disks().getFirst().used()).isEqualTo(60_000_000_000L);
        assertThat(s.diskIo().devices()).extracting(Snapshot.DiskIo.Device::name).containsExactly("sda");
        assertThat(s.diskIo().readBps()).isEqualTo(1_000_000.0);
        assertThat(s.network().rxBps()).isEqualTo(250_000.0); // lo is listed, not summed
        assertThat(s.network().interfaces()).extracting(Snapshot.Network.Interface::name).contains("lo", "eth0");
        assertThat(s.processes().count()).isZero();
        assertThat(s.processes().top()).isEmpty();
        assertThat(NodeExporterSample.info(Exposition.parse(second)).hostname()).isEqualTo("box");
    }

    @Test
    void anotherExporterIsNotANodeExporter() throws Exception {
        Exposition e = Exposition.parse("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 12\n");
        assertThatThrownBy(() -> NodeExporterSample.of(e, 0, 0)).isInstanceOf(NodeExporterSample.NotNodeExporter.class)
                .hasMessageContaining("not like a node_exporter");
    }

    private static String node(double user, double system, double idle, double iowait, long diskRead, long rx) {
        StringBuilder b = new StringBuilder("# TYPE node_cpu_seconds_total counter\n");
        for (int cpu = 0; cpu < 2; cpu++) {
            b.append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"user\"} ").append(user).append('\n')
                    .append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"system\"} ").append(system).append('\n')
                    .append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"idle\"} ").append(idle).append('\n')
                    .append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"iowait\"} ").append(iowait).append('\n')
                    .append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"nice\"} 0\n");
        }
        return b + """
                node_memory_MemTotal_bytes 8e+09
                node_memory_MemAvailable_bytes 5e+09
                node_memory_Cached_bytes 1e+09
                node_memory_Buffers_bytes 1e+08
                node_memory_SwapTotal_bytes 1e+09
                node_memory_SwapFree_bytes 7.5e+08
                node_load1 0.25
                node_load5 0.2
                node_load15 0.1
                node_filesystem_size_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 1e+11
                node_filesystem_free_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 4e+10
                node_filesystem_size_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 1e+09
                node_filesystem_free_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 1e+09
                node_disk_read_bytes_total{device="sda"} %d
                node_disk_written_bytes_total{device="sda"} 0
                node_disk_read_bytes_total{device="loop0"} 0
                node_disk_written_bytes_total{device="loop0"} 0
                node_network_receive_bytes_total{device="eth0"} %d
                node_network_transmit_bytes_total{device="eth0"} 0
                node_network_receive_bytes_total{device="lo"} %d
                node_network_transmit_bytes_total{device="lo"} 0
                node_uname_info{domainname="(none)",machine="x86_64",nodename="box",release="6.1.0",sysname="Linux",version="#1"} 1
                """.formatted(diskRead, rx, rx * 3);
    }
}
