package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class ProcSampleParserTest {

    private final ProcSampleParser recorded = new ProcSampleParser(Fixtures.RECORDED_NONCE);
    private final ProcSampleParser small = new ProcSampleParser(Fixtures.SMALL_NONCE);

    @Test
    void readsTheTwoRecordedDebianSamplesIntoSnapshots() throws IOException {
        BufferedReader in = new BufferedReader(new StringReader(Fixtures.text("debian12-two-samples.txt")));
        ProcSample first = recorded.parse(recorded.nextBlock(in), 1_000L);
        ProcSample second = recorded.parse(recorded.nextBlock(in), 2_000L);
        assertThat(recorded.nextBlock(in)).isNull();

        assertThat(first.userNames()).containsEntry(0, "root");
        assertThat(second.userNames()).as("passwd comes only every 300th block").isEmpty();
        assertThat(second.cores()).hasSize(2);
        assertThat((second.clockNanos() - first.clockNanos()) / 1e9).isBetween(0.9, 1.3);

        ProcSnapshotCalculator calculator = new ProcSnapshotCalculator("debian");
        calculator.next(first);
        Snapshot s = calculator.next(second);
        assertThat(s.cpu().usage()).isBetween(0.0, 100.0);
        assertThat(s.cpu().cores()).hasSize(2);
        assertThat(s.memory().total()).isEqualTo(25_276_510_208L);
        assertThat(s.memory().used()).isEqualTo(s.memory().total() - s.memory().available());
        // df -PT -B1 listed devtmpfs, tmpfs (twice) and /dev/vda; only /dev/vda is a disk.
        assertThat(s.disks()).extracting(Snapshot.Disk::mount).containsExactly("/");
        assertThat(s.disks().get(0).device()).isEqualTo("/dev/vda");
        assertThat(s.disks().get(0).total()).isEqualTo(270_553_174_016L);
        assertThat(s.diskIo().devices()).extracting(Snapshot.DiskIo.Device::name).containsExactly("vda");
        assertThat(s.network().interfaces()).extracting(Snapshot.Network.Interface::name).contains("lo", "eth0");
        assertThat(s.processes().count()).isEqualTo(second.processes().size()).isGreaterThan(50);
        assertThat(s.processes().top()).hasSizeBetween(10, 20);
        assertThat(s.processes().top()).allSatisfy(p -> {
            assertThat(p.user()).isNotEqualTo("?");
            assertThat(p.command()).isNotBlank().hasSizeLessThanOrEqualTo(200);
        });
    }

    @Test
    void skipsWhateverComesBeforeABlock() throws IOException {
        String stream = "Welcome to the target!\nlast login: never\n" + Fixtures.text("small-1.txt");
        String block = small.nextBlock(new BufferedReader(new StringReader(stream)));
        assertThat(block).startsWith("@@flick-sample " + Fixtures.SMALL_NONCE + "\n");
        assertThat(small.parse(block, 0).processes()).hasSize(20);
    }

    @Test
    void aStreamEndingInsideABlockIsMalformed() {
        String text = Fixtures.text("small-1.txt");
        BufferedReader cut = new BufferedReader(new StringReader(text.substring(0, text.indexOf("@@procs"))));
        assertThatThrownBy(() -> small.nextBlock(cut))
                .isInstanceOf(MalformedSampleException.class).hasMessageContaining("ended inside a sample block");
    }

    @Test
    void rejectsATruncatedBlock() {
        String text = Fixtures.text("small-1.txt");
        assertThatThrownBy(() -> small.parse(text.substring(0, text.length() / 2), 0))
                .isInstanceOf(MalformedSampleException.class).hasMessageContaining("truncated");
    }

    @Test
    void rejectsABlockThatLacksASection() {
        String text = Fixtures.text("small-1.txt");
        String withoutDf = text.substring(0, text.indexOf("@@df ")) + text.substring(text.indexOf("@@procs "));
        assertThatThrownBy(() -> small.parse(withoutDf, 0))
                .isInstanceOf(MalformedSampleException.class).hasMessageContaining("@@df");
    }

    @Test
    void rejectsABlockOfAnotherSession() {
        assertThatThrownBy(() -> new ProcSampleParser("other").parse(Fixtures.text("small-1.txt"), 0))
                .isInstanceOf(MalformedSampleException.class).hasMessageContaining("does not start with");
    }

    @Test
    void rejectsTextWhereCountersShouldBe() {
        String broken = Fixtures.text("small-1.txt").replace("cpu  1000 0 500 8000", "cpu  lots 0 500 8000");
        assertThatThrownBy(() -> small.parse(broken, 0))
                .isInstanceOf(MalformedSampleException.class).hasMessageContaining("expected a number");
        String noMemTotal = Fixtures.text("small-1.txt").replace("MemTotal:", "MemTotally:");
        assertThatThrownBy(() -> small.parse(noMemTotal, 0))
                .isInstanceOf(MalformedSampleException.class).hasMessageContaining("MemTotal");
        String empty = Fixtures.text("small-1.txt").replace("1000.00 1900.00\n", "");
        assertThatThrownBy(() -> small.parse(empty, 0))
                .isInstanceOf(MalformedSampleException.class).hasMessageContaining("/proc/uptime");
    }

    @Test
    void dfInKibibytesIsScaledToBytes() {
        String df = """
                Filesystem     Type 1024-blocks    Used Available Capacity Mounted on
                /dev/sda1      ext4    1000000   250000    700000      27% /
                """;
        assertThat(ProcFiles.df(df)).containsExactly(
                new ProcSample.Filesystem("/", "/dev/sda1", "ext4", 1_024_000_000L, 256_000_000L));
    }

    @Test
    void meminfoWithoutMemAvailableFallsBackToFreePlusBuffersPlusCache() {
        ProcSample.Memory m = ProcFiles.meminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 10 kB\nCached: 200 kB\n");
        assertThat(m.available()).isEqualTo(310 * 1024);
    }

    @Test
    void uptimeIsTheTargetsMonotonicClock() {
        assertThat(ProcFiles.uptimeNanos("1002.37 1950.00\n") / 1e9).isCloseTo(1002.37, within(1e-9));
    }

    @Test
    void mountPointsWithEscapedSpacesAreDecoded() {
        assertThat(ProcFiles.mounts("/dev/sdb1 /mnt/my\\040data xfs rw 0 0\n"))
                .containsExactly(new ProcFiles.Mount("/dev/sdb1", "/mnt/my data", "xfs"));
    }

    @Test
    void detailsLinesDescribeAProcessUntilItsPidIsReusedAndTheLastDfStands() {
        ProcSampleParser parser = new ProcSampleParser("n0nce");
        String df = "@@df n0nce\nFilesystem Type 1-blocks Used Available Capacity Mounted on\n/dev/vda ext4 1000 400 600 40% /\n";
        ProcSample first = parser.parse(lean(df, "10 (web) S 1 1 1 0 -1 0 0 0 0 0 5 5 0 0 20 0 1 0 500 1000 10 0\n",
                "10 33 /usr/bin/web --port 80\n11 0 ghost\n"), 1);
        ProcSample second = parser.parse(lean("", "10 (web) S 1 1 1 0 -1 0 0 0 0 0 6 6 0 0 20 0 1 0 500 1000 10 0\n", ""), 2);
        // Same pid, later start time: another process that must not inherit web's user and command.
        ProcSample third = parser.parse(lean("", "10 (web) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 900 1000 10 0\n", ""), 3);

        assertThat(first.processes()).singleElement().satisfies(p -> {
            assertThat(p.uid()).isEqualTo(33);
            assertThat(p.command()).isEqualTo("/usr/bin/web --port 80");
        });
        assertThat(second.processes()).singleElement().satisfies(p -> assertThat(p.uid()).isEqualTo(33));
        assertThat(second.filesystems()).as("a block without @@df keeps the last").extracting(ProcSample.Filesystem::mount).containsExactly("/");
        assertThat(third.processes()).singleElement().satisfies(p -> {
            assertThat(p.uid()).isEqualTo(-1);
            assertThat(p.command()).isNull();
        });
    }

    @Test
    void aPidDescribedTwiceInOneBlockGetsNeitherDescription() {
        ProcSampleParser parser = new ProcSampleParser("n0nce");
        ProcSample s = parser.parse(lean("", "10 (web) S 1 1 1 0 -1 0 0 0 0 0 5 5 0 0 20 0 1 0 500 1000 10 0\n",
                "10 33 real\n10 0 forged\n"), 1);
        assertThat(s.processes()).singleElement().satisfies(p -> assertThat(p.command()).isNull());
    }

    private static String lean(String df, String procs, String details) {
        return "@@flick-sample n0nce\n@@proc n0nce\n==> /proc/uptime <==\n100.00 50.00\n\n==> /proc/loadavg <==\n0 0 0 1/1 1\n\n"
                + "==> /proc/stat <==\ncpu  1 0 1 10 0 0 0 0\ncpu0 1 0 1 10 0 0 0 0\n\n==> /proc/meminfo <==\nMemTotal: 1000 kB\n"
                + "MemAvailable: 500 kB\n" + df + "@@procs n0nce\n" + procs + "@@details n0nce\n" + details + "@@end n0nce\n";
    }
}
