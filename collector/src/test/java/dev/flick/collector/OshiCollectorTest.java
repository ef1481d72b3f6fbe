package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;

/** Samples this very machine, through /proc and through OSHI. */
class OshiCollectorTest {

    @Test
    void samplesThisMachineWithinApiRules() throws Exception {
        try (OshiCollector collector = new OshiCollector("me")) {
            collector.sample();
            Thread.sleep(300);
            assertWithinApiRules(collector.sample());
        }
    }

    @Test
    void disksAgreeWithDf() throws Exception {
        try (OshiCollector collector = new OshiCollector()) {
            Snapshot.Disk root = collector.sample().disks().stream().filter(d -> d.mount().equals("/")).findFirst().orElseThrow();
            Process df = new ProcessBuilder("df", "-PT", "-B1", "/").start();
            String[] row = new String(df.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")[1].trim().split("\\s+");
            assertThat(df.waitFor()).isZero();
            assertThat(root.device()).isEqualTo(row[0]);
            assertThat(root.fs()).isEqualTo(row[1]);
            assertThat(root.total()).isEqualTo(Long.parseLong(row[2]));
            // Other processes write meanwhile; a few MiB is all that may move between the two reads.
            assertThat(root.used()).isCloseTo(Long.parseLong(row[3]), within(64L << 20));
        }
    }

    @Test
    void theOshiReaderSeesTheSameMachine() throws Exception {
        try (OshiCollector viaOshi = new OshiCollector("oshi", new OshiCounters(new SystemInfo()));
             OshiCollector viaProc = new OshiCollector("proc")) {
            Thread.sleep(300);
            Snapshot o = viaOshi.sample();
            Snapshot p = viaProc.sample();
            assertWithinApiRules(o);
            assertThat(o.memory().total()).isEqualTo(p.memory().total());
            assertThat(o.cpu().cores()).hasSameSizeAs(p.cpu().cores());
            assertThat(o.disks()).extracting(Snapshot.Disk::mount).isEqualTo(p.disks().stream().map(Snapshot.Disk::mount).toList());
            assertThat(o.processes().count()).isCloseTo(p.processes().count(), within(10));
        }
    }

    @Test
    void hostInfoDescribesThisMachine() {
        try (OshiCollector collector = new OshiCollector()) {
            HostInfo h = collector.hostInfo();
            assertThat(h.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(h.hostname()).isNotBlank();
            assertThat(h.os()).isNotBlank();
            assertThat(h.kernel()).isEqualTo(System.getProperty("os.version"));
            assertThat(h.memoryTotal()).isPositive();
            assertThat(h.uptime()).isPositive();
        }
    }

    private static void assertWithinApiRules(Snapshot s) {
        assertThat(s.cpu().usage()).isBetween(0.0, 100.0);
        assertThat(s.cpu().cores()).hasSize(Runtime.getRuntime().availableProcessors());
        for (double core : s.cpu().cores()) assertThat(core).isBetween(0.0, 100.0);
        assertThat(s.memory().used()).isEqualTo(s.memory().total() - s.memory().available());
        assertThat(s.memory().total()).isPositive();
        assertThat(s.disks()).isNotEmpty().extracting(Snapshot.Disk::mount).contains("/");
        assertThat(s.disks()).extracting(Snapshot.Disk::fs).doesNotContain("tmpfs", "devtmpfs", "overlay", "proc");
        assertThat(s.network().interfaces()).isNotEmpty();
        assertThat(s.processes().count()).isPositive();
        List<Snapshot.Processes.Process> top = s.processes().top();
        assertThat(top).hasSizeLessThanOrEqualTo(20).isNotEmpty();
        int byCpu = Math.min(10, top.size());
        for (int i = 1; i < byCpu; i++) {
            Snapshot.Processes.Process a = top.get(i - 1), b = top.get(i);
            assertThat(a.cpu() > b.cpu() || (a.cpu() == b.cpu() && a.rss() >= b.rss()))
                    .as("%s ranks above %s", a, b).isTrue();
        }
        for (int i = byCpu + 1; i < top.size(); i++) {
            assertThat(top.get(i - 1).rss()).as("memory extras by size").isGreaterThanOrEqualTo(top.get(i).rss());
        }
        assertThat(top).allSatisfy(p -> {
            assertThat(p.cpu()).isBetween(0.0, 100.0 * s.cpu().cores().length);
            assertThat(p.command()).isNotBlank().hasSizeLessThanOrEqualTo(200);
            assertThat(p.user()).isNotBlank();
        });
    }
}
