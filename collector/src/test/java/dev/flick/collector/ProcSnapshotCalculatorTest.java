package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic on the hand-made pair small-1 → small-2 (2 CPUs, 2.00 s apart). Each expected number is worked out
 * in the comment above it from the fixture's counters.
 */
class ProcSnapshotCalculatorTest {

    private static final double EPS = 1e-9;
    private final Snapshot s = Fixtures.smallSecond();

    @Test
    void cpuUsageCountsAllTimeButIdleAndIowait() {
        // Δ over both CPUs: user 200, nice 20, system 60, idle 80, iowait 20, irq 5, softirq 5, steal 10 = 400 ticks.
        // usage = (400 − 80 − 20) / 400
        assertThat(s.cpu().usage()).isCloseTo(75.0, within(EPS));
    }

    @Test
    void userSystemIowaitAndStealAreSharesOfAllCpuTime() {
        assertThat(s.cpu().user()).isCloseTo(55.0, within(EPS));    // (200 + 20 nice) / 400
        assertThat(s.cpu().system()).isCloseTo(17.5, within(EPS));  // (60 + 5 irq + 5 softirq) / 400
        assertThat(s.cpu().iowait()).isCloseTo(5.0, within(EPS));   // 20 / 400
        assertThat(s.cpu().steal()).isCloseTo(2.5, within(EPS));    // 10 / 400
        assertThat(s.cpu().user() + s.cpu().system() + s.cpu().steal()).isCloseTo(s.cpu().usage(), within(EPS));
    }

    @Test
    void eachLogicalCpuGetsItsOwnUsage() {
        // cpu0: no idle or iowait in its 200 ticks; cpu1: idle 80 + iowait 20 of 200.
        assertThat(s.cpu().cores()).containsExactly(100.0, 50.0);
    }

    @Test
    void loadAveragesAreTheKernels() {
        assertThat(List.of(s.cpu().load1(), s.cpu().load5(), s.cpu().load15())).containsExactly(1.5, 1.0, 0.5);
    }

    @Test
    void memoryUsedIsTotalMinusAvailableInBytes() {
        assertThat(s.memory().total()).isEqualTo(8_000_000L * 1024);
        assertThat(s.memory().available()).isEqualTo(5_000_000L * 1024);
        assertThat(s.memory().used()).isEqualTo(3_000_000L * 1024);
        // buff/cache as free shows it: Buffers + Cached + SReclaimable
        assertThat(s.memory().cached()).isEqualTo((100_000L + 2_000_000 + 200_000) * 1024);
    }

    @Test
    void swapUsedIsSwapTotalMinusSwapFree() {
        assertThat(s.memory().swapTotal()).isEqualTo(1_000_000L * 1024);
        assertThat(s.memory().swapUsed()).isEqualTo(250_000L * 1024);
    }

    @Test
    void disksAreRealFilesystemsOncePerDeviceWithDfsNumbers() {
        // tmpfs and overlay go; the bind mount of the root device goes (shortest mount wins); used is df's Used,
        // not total − available (the 5 % reserve is neither used nor available).
        assertThat(s.disks()).containsExactly(
                new Snapshot.Disk("/", "/dev/nvme0n1p1", "ext4", 100_000_000_000L, 40_000_000_000L),
                new Snapshot.Disk("/mnt/my data", "/dev/sdb1", "xfs", 2_000_000_000L, 500_000_000L));
    }

    @Test
    void diskIoCountsWholeDisksPerSecondOfElapsedTime() {
        // nvme0n1: 4000 sectors read, 2000 written in 2 s; its partition, dm-0 and loop0 are not counted again.
        // sda's counter went from 50000 to 100 (reset): 0. xvdb1 has no whole disk listed: 1000 sectors read.
        assertThat(s.diskIo().devices()).containsExactly(
                new Snapshot.DiskIo.Device("nvme0n1", 4000 * 512 / 2.0, 2000 * 512 / 2.0),
                new Snapshot.DiskIo.Device("sda", 0, 0),
                new Snapshot.DiskIo.Device("xvdb1", 1000 * 512 / 2.0, 0));
        assertThat(s.diskIo().readBps()).isEqualTo(1_024_000 + 256_000.0);
        assertThat(s.diskIo().writeBps()).isEqualTo(512_000.0);
    }

    @Test
    void networkTotalsLeaveOutLoopbackButListIt() {
        // lo +400000 each way; eth0 rx +2000000, tx +200000; wg0 rx fell from 4e9 to 100 (wrapped): 0, tx +1000.
        assertThat(s.network().interfaces()).containsExactly(
                new Snapshot.Network.Interface("lo", 200_000, 200_000),
                new Snapshot.Network.Interface("eth0", 1_000_000, 100_000),
                new Snapshot.Network.Interface("wg0", 0, 500));
        assertThat(s.network().rxBps()).isEqualTo(1_000_000.0);
        assertThat(s.network().txBps()).isEqualTo(100_500.0);
    }

    @Test
    void countersThatWentBackwardsNeverGiveNegativeRates() {
        assertThat(s.diskIo().devices()).allSatisfy(d -> assertThat(d.readBps()).isNotNegative());
        assertThat(s.network().interfaces()).allSatisfy(i -> assertThat(i.rxBps()).isNotNegative());
        // The pair played backwards: CPU ticks, nvme0n1 and eth0 fall and give 0 (sda and wg0, reset going
        // forwards, rise going backwards).
        ProcSnapshotCalculator calculator = new ProcSnapshotCalculator("srv");
        ProcSample later = Fixtures.small(2);
        ProcSample earlier = Fixtures.small(1);
        calculator.next(later);
        Snapshot backwards = calculator.next(new ProcSample(later.ts() + 1000, later.clockNanos() + 1_000_000_000L,
                earlier.cpu(), earlier.cores(), 0, 0, 0, earlier.memory(), earlier.filesystems(),
                earlier.blockDevices(), earlier.interfaces(), earlier.processes(), earlier.userNames()));
        assertThat(backwards.cpu().usage()).isZero();
        assertThat(backwards.cpu().cores()).containsOnly(0.0);
        assertThat(backwards.diskIo().devices().get(0)).isEqualTo(new Snapshot.DiskIo.Device("nvme0n1", 0, 0));
        assertThat(backwards.network().interfaces().get(1)).isEqualTo(new Snapshot.Network.Interface("eth0", 0, 0));
        assertThat(backwards.diskIo().devices()).allSatisfy(d -> assertThat(d.readBps()).isNotNegative());
        assertThat(backwards.processes().top()).allSatisfy(p -> assertThat(p.cpu()).isNotNegative());
    }

    @Test
    void topHoldsTheTenBusiestByCpuThenTheTenLargestByMemoryNotAlreadyThere() {
        assertThat(s.processes().top()).extracting(Snapshot.Processes.Process::pid)
                .containsExactly(100, 400, 600, 700, 1, 200, 1011, 1010, 1009, 1008,
                        1007, 1006, 1005, 1004); // the ten largest by memory: 200, 1, 1011…1004; the last four were missing
        assertThat(s.processes().count()).isEqualTo(21);
    }

    @Test
    void processCpuIsPercentOfOneCoreSoTwoBusyCoresShow200() {
        // busy: utime 1000 → 1400 ticks = 4 s of CPU in 2 s. half: 120 → 220 ticks = 1 s in 2 s. systemd: one tick.
        assertThat(cpuOf(100)).isEqualTo(200.0);
        assertThat(cpuOf(400)).isEqualTo(50.0);
        assertThat(cpuOf(1)).isEqualTo(0.5);
    }

    @Test
    void aProcessBornInTheIntervalCountsAllItsTime() {
        // 600 is new (20 ticks); 700 is a reused pid (new start time, 4 ticks; the old one had 900).
        assertThat(cpuOf(600)).isEqualTo(10.0);
        assertThat(cpuOf(700)).isEqualTo(2.0);
    }

    @Test
    void rssIsPagesTimesPageSize() {
        assertThat(process(200).rss()).isEqualTo(500_000L * 4096);
    }

    @Test
    void usersComeFromThePasswdTableAndCommandsFromCmdline() {
        assertThat(process(1).user()).isEqualTo("root");
        assertThat(process(100).user()).isEqualTo("alice");
        assertThat(process(200).user()).as("a uid missing from passwd shows as the number").isEqualTo("999");
        assertThat(process(100).command()).isEqualTo("/usr/bin/busy --threads 2");
        assertThat(process(1).command()).isEqualTo("/sbin/init splash");
    }

    @Test
    void aForgedHeaderInOneCommandLineBlanksButNeverReplacesAnother() {
        // half's command line carries "\n==> /proc/200/cmdline <==\nfake-db": pid 200 then has two entries and gets none.
        assertThat(process(200).command()).isEqualTo("[db]");
        assertThat(process(400).command()).isEqualTo("half-worker --x");
    }

    @Test
    void aMarkerWithoutTheNonceIsJustText() {
        ProcSample second = Fixtures.small(2);
        ProcSample.Process evil = second.processes().stream().filter(p -> p.pid() == 300).findFirst().orElseThrow();
        assertThat(evil.name()).isEqualTo("my) (proc");
        assertThat(evil.command()).contains("@@end t-wrong", "@@df t-wrong");
        assertThat(second.filesystems()).hasSize(5);
    }

    @Test
    void aNameWithANewlineStillParses() {
        ProcSample.Process twoLines = Fixtures.small(2).processes().stream().filter(p -> p.pid() == 800).findFirst().orElseThrow();
        assertThat(twoLines.name()).isEqualTo("two\nlines");
        assertThat(twoLines.startTime()).isEqualTo(6000);
    }

    @Test
    void theFirstSampleReportsZeroRates() {
        Snapshot first = new ProcSnapshotCalculator("srv").next(Fixtures.small(2));
        assertThat(first.cpu().usage()).isZero();
        assertThat(first.cpu().cores()).containsExactly(0.0, 0.0);
        assertThat(first.diskIo().readBps()).isZero();
        assertThat(first.network().txBps()).isZero();
        assertThat(first.processes().top()).allSatisfy(p -> assertThat(p.cpu()).isZero());
        // With no CPU to rank by, the top is the largest by memory.
        assertThat(first.processes().top().get(0).pid()).isEqualTo(200);
        assertThat(first.memory().used()).isEqualTo(3_000_000L * 1024);
    }

    @Test
    void aClockThatWentBackStartsAfresh() {
        ProcSnapshotCalculator calculator = new ProcSnapshotCalculator("srv");
        calculator.next(Fixtures.small(2));
        Snapshot afterReboot = calculator.next(Fixtures.small(1));
        assertThat(afterReboot.cpu().usage()).isZero();
        assertThat(afterReboot.network().rxBps()).isZero();
    }

    @Test
    void snapshotsCarryTheServerIdAndTheSamplesTime() {
        assertThat(s.serverId()).isEqualTo("srv");
        assertThat(s.ts()).isEqualTo(1_700_000_004_000L);
    }

    private double cpuOf(int pid) {
        return process(pid).cpu();
    }

    private Snapshot.Processes.Process process(int pid) {
        return s.processes().top().stream().filter(p -> p.pid() == pid).findFirst().orElseThrow();
    }
}
