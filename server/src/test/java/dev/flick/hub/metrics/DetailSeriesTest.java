package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import dev.flick.collector.Snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DetailSeriesTest {

    private static final long BASE_SEED = Long.getLong("codec.seed", 0xDE7A11L);

    static LongStream seeds() {
        return LongStream.range(0, 200).map(i -> BASE_SEED + i * 0x9E3779B97F4A7C15L);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mergingMinutesEqualsAddingTheirSnapshots(long seed) {
        Random r = new Random(seed);
        List<Snapshot> snapshots = r.nextBoolean() ? SnapshotSamples.randomBlock(r) : SnapshotSamples.realistic(seed, 1 + r.nextInt(400));
        DetailSeries direct = new DetailSeries();
        snapshots.forEach(direct::add);

        DetailSeries hour = new DetailSeries();
        int at = 0;
        while (at < snapshots.size()) {
            int end = Math.min(snapshots.size(), at + 1 + r.nextInt(90));
            DetailSeries minute = new DetailSeries();
            snapshots.subList(at, end).forEach(minute::add);
            // Minutes are stored and read back before the hour is made from them.
            hour.merge(DetailSeries.decode(minute.encode()));
            at = end;
        }

        assertThat(hour).isEqualTo(direct);
        assertThat(hour.encode()).isEqualTo(direct.encode());
        assertThat(hour.averages()).isEqualTo(direct.averages());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void encodingRoundTrips(long seed) {
        Random r = new Random(seed);
        DetailSeries series = new DetailSeries();
        SnapshotSamples.randomBlock(r).forEach(series::add);

        DetailSeries back = DetailSeries.decode(series.encode());

        assertThat(back).isEqualTo(series);
        assertThat(back.averages()).isEqualTo(series.averages());
    }

    @Test
    void averagesPerKeyRoundedAsTheJsonWants() {
        DetailSeries series = new DetailSeries();
        series.add(snapshot(new double[] {10, 20.5}, List.of(
                new Snapshot.Disk("/", "/dev/vda1", "ext4", 1000, 100),
                new Snapshot.Disk("/var/lib/docker/overlay2/3f.d/merged", "overlay", "overlay", 50, 7)),
                List.of(new Snapshot.DiskIo.Device("vda", 1, 1000)),
                List.of(new Snapshot.Network.Interface("eth0", 10, 20))));
        series.add(snapshot(new double[] {30, 40.25, 50}, List.of(new Snapshot.Disk("/", "/dev/vda1", "ext4", 1000, 201)),
                List.of(new Snapshot.DiskIo.Device("vda", 2, 1001)),
                List.of(new Snapshot.Network.Interface("eth0", 11, 20), new Snapshot.Network.Interface("lo", 5, 5))));

        Map<String, Object> expected = new LinkedHashMap<>();
        // Core 2 only in the second sample: its average is over that one. (20.5 + 40.25) / 2 = 30.375 → 30.38.
        expected.put("cores", List.of(20.0, 30.38, 50.0));
        expected.put("mounts", Map.of("/", Map.of("used", 151L, "total", 1000L),
                "/var/lib/docker/overlay2/3f.d/merged", Map.of("used", 7L, "total", 50L)));
        expected.put("devices", Map.of("vda", Map.of("readBps", 1.5, "writeBps", 1000.5)));
        expected.put("interfaces", Map.of("eth0", Map.of("rxBps", 10.5, "txBps", 20.0), "lo", Map.of("rxBps", 5.0, "txBps", 5.0)));
        assertThat(series.averages()).isEqualTo(expected);
        assertThat(new ArrayList<Object>(((Map<?, ?>) series.averages().get("mounts")).keySet())).containsExactly("/", "/var/lib/docker/overlay2/3f.d/merged");
    }

    @Test
    void perContainerCpuAndMemoryAverageAndSurviveTheRollupEncoding() {
        Snapshot base = snapshot(new double[] {5}, List.of(), List.of(), List.of());
        DetailSeries minute = new DetailSeries();
        for (int i = 0; i < 4; i++) {
            minute.add(base.withContainers(List.of(
                    new Snapshot.Container("0123456789ab", "web", "nginx:1", Snapshot.Container.State.RUNNING,
                            Snapshot.Container.Health.NONE, 0, 1, 10 + i * 10, 1000 + i, 0, 0, 0, 0, 0, 2))));
        }
        minute.add(base); // a snapshot without a containers section adds nothing to them
        Map<String, Object> averages = minute.averages();
        assertThat(averages).containsKey("containers");
        assertThat(((Map<?, ?>) averages.get("containers")).get("web")).isEqualTo(Map.of("cpu", 25.0, "memory", 1002L));
        DetailSeries decoded = DetailSeries.decode(minute.encode());
        assertThat(decoded).isEqualTo(minute);
        DetailSeries hour = new DetailSeries();
        hour.merge(decoded);
        assertThat(hour.averages().get("containers")).isEqualTo(averages.get("containers"));
    }

    @Test
    void perSensorAndPerGpuSeriesAverageAndSurviveTheRollupEncoding() {
        Snapshot base = snapshot(new double[] {5}, List.of(), List.of(), List.of());
        DetailSeries minute = new DetailSeries();
        for (int i = 0; i < 4; i++) {
            minute.add(new Snapshot(base.serverId(), i * 1000L, base.cpu(), base.memory(), base.disks(), base.diskIo(), base.network(),
                    base.processes(), null,
                    List.of(new Snapshot.Sensor("coretemp", "Package id 0", Snapshot.SensorKind.TEMPERATURE, 40 + i, 80, 100),
                            new Snapshot.Sensor("nvme", "Composite", Snapshot.SensorKind.TEMPERATURE, 30.5, Double.NaN, Double.NaN),
                            new Snapshot.Sensor("nct6775", "fan1", Snapshot.SensorKind.FAN, 1000 + 100 * i, Double.NaN, Double.NaN),
                            new Snapshot.Sensor("acpitz", "temp1", Snapshot.SensorKind.TEMPERATURE, Double.NaN, Double.NaN, Double.NaN)),
                    List.of(new Snapshot.Gpu("0", "RTX", Snapshot.GpuVendor.NVIDIA, 10 * i, 1_000 + i, 8_000, 60, 120),
                            new Snapshot.Gpu("card1", "Arc", Snapshot.GpuVendor.INTEL, 50, -1, -1, Double.NaN, Double.NaN)),
                    null, null));
        }
        minute.add(base); // a snapshot without sensors or GPUs adds nothing to them
        Map<String, Object> averages = minute.averages();
        assertThat(averages.get("temperatures")).isEqualTo(Map.of(
                "coretemp/Package id 0", Map.of("value", 41.5, "critical", 100.0),
                "nvme/Composite", Map.of("value", 30.5)));
        assertThat(averages.get("fans")).isEqualTo(Map.of("nct6775/fan1", Map.of("rpm", 1150L)));
        assertThat(averages.get("gpus")).isEqualTo(Map.of(
                "0", Map.of("utilization", 15.0, "temperature", 60.0, "memoryUsed", 1002L, "memoryTotal", 8000L),
                "card1", Map.of("utilization", 50.0)));
        DetailSeries decoded = DetailSeries.decode(minute.encode());
        assertThat(decoded).isEqualTo(minute);
        DetailSeries hour = new DetailSeries();
        hour.merge(decoded);
        hour.merge(DetailSeries.decode(minute.encode()));
        assertThat(hour.averages()).isEqualTo(averages);
    }

    @Test
    void partsWithoutSensorsOrGpusKeepTheFirstFormat() {
        DetailSeries series = new DetailSeries();
        series.add(snapshot(new double[] {5}, List.of(), List.of(), List.of(new Snapshot.Network.Interface("eth0", 1, 2))));
        assertThat(series.encode()[0]).isEqualTo((byte) 1);
    }

    @Test
    void emptyFamiliesAreLeftOut() {
        DetailSeries series = new DetailSeries();
        assertThat(series.averages()).isEmpty();
        series.add(snapshot(new double[] {5}, List.of(), List.of(), List.of(new Snapshot.Network.Interface("eth0", 1, 2))));
        assertThat(series.averages()).containsOnlyKeys("cores", "interfaces");
        assertThat(DetailSeries.decode(series.encode()).averages()).containsOnlyKeys("cores", "interfaces");
    }

    @Test
    void oneSnapshotGivesItsOwnValues() {
        Snapshot s = snapshot(new double[] {12.346, 0, 100}, List.of(new Snapshot.Disk("/", "/dev/sda", "xfs", Long.MAX_VALUE, 4096)),
                List.of(new Snapshot.DiskIo.Device("nvme0n1", 123_456.7, Double.NaN)),
                List.of(new Snapshot.Network.Interface("eth0", 1e12, 0.4)));

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("cores", List.of(12.35, 0.0, 100.0));
        expected.put("mounts", Map.of("/", Map.of("used", 4096L, "total", Long.MAX_VALUE)));
        expected.put("devices", Map.of("nvme0n1", Map.of("readBps", 123_457.0, "writeBps", 0.0)));
        expected.put("interfaces", Map.of("eth0", Map.of("rxBps", 1e12, "txBps", 0.0)));
        assertThat(DetailSeries.of(s)).isEqualTo(expected);
    }

    @Test
    void hugeByteCountsAverageWithoutOverflow() {
        DetailSeries minute = new DetailSeries();
        for (int i = 0; i < 3600; i++) {
            long used = Long.MAX_VALUE - (i % 2);
            minute.add(snapshot(new double[0], List.of(new Snapshot.Disk("/big", "pool", "zfs", Long.MAX_VALUE, used)), List.of(), List.of()));
        }
        Map<?, ?> big = (Map<?, ?>) ((Map<?, ?>) DetailSeries.decode(minute.encode()).averages().get("mounts")).get("/big");
        // The mean of MAX and MAX−1, rounded half up.
        assertThat(big.get("used")).isEqualTo(Long.MAX_VALUE);
        assertThat(big.get("total")).isEqualTo(Long.MAX_VALUE);

        DetailSeries negative = new DetailSeries();
        for (long v : new long[] {Long.MIN_VALUE, Long.MIN_VALUE, -3}) {
            negative.add(snapshot(new double[0], List.of(new Snapshot.Disk("/", "d", "f", v, v)), List.of(), List.of()));
        }
        Map<?, ?> root = (Map<?, ?>) ((Map<?, ?>) DetailSeries.decode(negative.encode()).averages().get("mounts")).get("/");
        // (2 × −2^63 − 3) / 3 = −6148914691236517206.33…: a sum beyond 64 bits, still exact.
        assertThat(root.get("used")).isEqualTo(-6_148_914_691_236_517_206L);
    }

    @Test
    void aMinuteOfATypicalHostIsSmall() {
        DetailSeries minute = new DetailSeries();
        Random r = new Random(21);
        String[] mounts = {"/", "/boot", "/boot/efi", "/home", "/var/lib/docker"};
        long[] used = {41_234_567_168L, 262_144_000L, 6_291_456L, 312_000_000_000L, 77_111_222_272L};
        long[] total = {107_374_182_400L, 1_073_741_824L, 535_805_952L, 536_870_912_000L, 214_748_364_800L};
        for (int s = 0; s < 60; s++) {
            List<Snapshot.Disk> disks = new ArrayList<>();
            for (int i = 0; i < mounts.length; i++) {
                if (i != 1 && i != 2 && r.nextInt(3) == 0) used[i] += 4096L * (r.nextInt(200) - 80);
                disks.add(new Snapshot.Disk(mounts[i], "/dev/sd" + (char) ('a' + i), "ext4", total[i], used[i]));
            }
            minute.add(snapshot(new double[] {r.nextInt(10_000) / 100.0, r.nextInt(10_000) / 100.0}, disks,
                    List.of(new Snapshot.DiskIo.Device("sda", r.nextInt(4) == 0 ? 4096 * r.nextInt(50) : 0, 4096 * r.nextInt(400)),
                            new Snapshot.DiskIo.Device("sdb", 0, r.nextInt(10) == 0 ? 4096 * r.nextInt(100) : 0),
                            new Snapshot.DiskIo.Device("nvme0n1", r.nextInt(3) == 0 ? 4096 * r.nextInt(300) : 0, 4096 * r.nextInt(2000))),
                    List.of(new Snapshot.Network.Interface("lo", 2000 + r.nextInt(30_000), 2000 + r.nextInt(30_000)),
                            new Snapshot.Network.Interface("eth0", 80_000 + r.nextInt(240_000), 400_000 + r.nextInt(1_000_000)),
                            new Snapshot.Network.Interface("docker0", r.nextInt(3) == 0 ? r.nextInt(5000) : 0, r.nextInt(3) == 0 ? r.nextInt(5000) : 0),
                            new Snapshot.Network.Interface("veth3f9a1c2", r.nextInt(4) == 0 ? r.nextInt(2000) : 0, 0))));
        }
        byte[] encoded = minute.encode();
        System.out.printf("detail series, 2 cores / 5 mounts / 3 devices / 4 interfaces, one minute: %d B%n", encoded.length);
        assertThat(encoded.length).isLessThan(300);
        assertThat(DetailSeries.decode(encoded)).isEqualTo(minute);
    }

    @Test
    void corruptEncodingsAreRefused() {
        DetailSeries series = new DetailSeries();
        SnapshotSamples.realistic(3, 60).forEach(series::add);
        byte[] encoded = series.encode();
        for (int length = 0; length < encoded.length; length++) {
            byte[] cut = Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> DetailSeries.decode(cut)).isInstanceOf(SnapshotBlock.Corrupt.class);
        }
        for (int at = 0; at < encoded.length; at++) {
            for (int mask : new int[] {0x01, 0x10, 0x80, 0xFF}) {
                byte[] bad = encoded.clone();
                bad[at] ^= (byte) mask;
                assertThatThrownBy(() -> DetailSeries.decode(bad)).isInstanceOf(SnapshotBlock.Corrupt.class);
            }
        }
        assertThatThrownBy(() -> DetailSeries.decode(null)).isInstanceOf(SnapshotBlock.Corrupt.class);
        assertThatThrownBy(() -> DetailSeries.decode("{\"cores\":[1]}".getBytes())).isInstanceOf(SnapshotBlock.Corrupt.class);
    }

    private static Snapshot snapshot(double[] cores, List<Snapshot.Disk> disks, List<Snapshot.DiskIo.Device> devices,
                                     List<Snapshot.Network.Interface> interfaces) {
        return new Snapshot("s", 1, new Snapshot.Cpu(0, 0, 0, 0, 0, cores, 0, 0, 0), new Snapshot.Memory(0, 0, 0, 0, 0, 0),
                disks, new Snapshot.DiskIo(0, 0, devices), new Snapshot.Network(0, 0, interfaces),
                new Snapshot.Processes(0, List.of()));
    }
}
