package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flick.collector.Snapshot.SensorKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InventoryTest {

    static Path fixture(String name) {
        try {
            return Path.of(InventoryTest.class.getResource("/inventory/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String name) {
        try {
            return Files.readString(fixture(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Snapshot bare() {
        return new Snapshot("srv", 1_000, new Snapshot.Cpu(0, 0, 0, 0, 0, new double[0], 0, 0, 0),
                new Snapshot.Memory(0, 0, 0, 0, 0, 0), List.of(), new Snapshot.DiskIo(0, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()), new Snapshot.Processes(0, List.of()));
    }

    /** Programs answered from fixtures; a program not listed is "not installed". */
    private static final class Recorded implements Inventory.Commands {
        final Map<String, Result> answers = new HashMap<>();
        final List<List<String>> asked = new ArrayList<>();

        Recorded answer(List<String> command, int exit, String fixture) {
            answers.put(String.join(" ", command), new Result(exit, fixture == null ? "" : text(fixture)));
            return this;
        }

        @Override
        public Result run(List<String> command, Duration timeout) {
            asked.add(command);
            return answers.get(String.join(" ", command));
        }
    }

    @Test
    void readsHwmonChipsWithLabelsAndKernelThresholdsNvmeAndDrivetempIncluded() {
        Inventory inventory = new Inventory(fixture("desktop"), new Recorded(), InventorySettings.DEFAULTS);
        List<Snapshot.Sensor> sensors = inventory.attach(bare()).sensors();

        assertThat(sensors).extracting(Snapshot.Sensor::key).containsExactly(
                "coretemp/Package id 0", "coretemp/Core 0", "nvme@hwmon1/Composite", "nvme@hwmon2/Composite",
                "drivetemp/temp1", "nct6798/SYSTIN", "nct6798/fan1", "nct6798/fan2", "amdgpu/edge");
        Snapshot.Sensor pkg = sensors.getFirst();
        assertThat(pkg.kind()).isEqualTo(SensorKind.TEMPERATURE);
        assertThat(pkg.value()).isEqualTo(48.0);
        assertThat(pkg.max()).isEqualTo(80.0);
        assertThat(pkg.critical()).isEqualTo(100.0);
        assertThat(sensors.get(2).value()).isCloseTo(38.85, within(1e-9));
        assertThat(sensors.get(2).critical()).isCloseTo(84.85, within(1e-9));
        assertThat(sensors.get(4).critical()).isEqualTo(70.0);
        assertThat(sensors.get(5).critical()).isNaN();
        assertThat(sensors.get(7).kind()).isEqualTo(SensorKind.FAN);
        assertThat(sensors.get(7).value()).isEqualTo(1074.0);
        // hwmon gave temperatures, so the thermal zone is not repeated
        assertThat(sensors).noneMatch(s -> s.chip().equals("thermal"));
    }

    @Test
    void fallsBackToThermalZonesWithCriticalAndHotTripPoints() {
        Inventory inventory = new Inventory(fixture("vm"), new Recorded(), InventorySettings.DEFAULTS);
        List<Snapshot.Sensor> sensors = inventory.attach(bare()).sensors();

        assertThat(sensors).extracting(Snapshot.Sensor::key).containsExactly("thermal/x86_pkg_temp", "thermal/acpitz");
        assertThat(sensors.get(0).critical()).isNaN();
        assertThat(sensors.get(1).value()).isCloseTo(27.8, within(1e-9));
        assertThat(sensors.get(1).critical()).isEqualTo(105.0);
        assertThat(sensors.get(1).max()).isEqualTo(95.0);
    }

    @Test
    void aHostWithoutSensorsOrGpusSendsNeitherSection() {
        Inventory inventory = new Inventory(fixture("desktop").resolve("nothing-here"), new Recorded(), InventorySettings.DEFAULTS);
        Snapshot s = inventory.attach(bare());
        assertThat(s.sensors()).isNull();
        assertThat(s.gpus()).isNull();
        assertThat(SnapshotJson.write(s)).doesNotContain("sensors", "gpus", "diskHealth", "services");
    }

    @Test
    void readsAmdAndIntelCardsFromDrmAndSkipsConnectors() {
        Inventory inventory = new Inventory(fixture("desktop"), new Recorded(), InventorySettings.DEFAULTS);
        List<Snapshot.Gpu> gpus = inventory.attach(bare()).gpus();

        assertThat(gpus).extracting(Snapshot.Gpu::id).containsExactly("card0", "card1");
        Snapshot.Gpu amd = gpus.getFirst();
        assertThat(amd.vendor()).isEqualTo(Snapshot.GpuVendor.AMD);
        assertThat(amd.utilization()).isEqualTo(37.0);
        assertThat(amd.memoryUsed()).isEqualTo(1_073_741_824L);
        assertThat(amd.memoryTotal()).isEqualTo(17_163_091_968L);
        assertThat(amd.temperature()).isEqualTo(52.0);
        assertThat(amd.power()).isEqualTo(31.0);
        Snapshot.Gpu intel = gpus.get(1);
        assertThat(intel.vendor()).isEqualTo(Snapshot.GpuVendor.INTEL);
        assertThat(intel.utilization()).isNaN();
        assertThat(intel.memoryTotal()).isEqualTo(-1);
        assertThat(SnapshotJson.write(inventory.attach(bare())))
                .contains("{\"id\":\"card1\",\"name\":\"INTEL card1\",\"vendor\":\"intel\"}");
    }

    @Test
    void readsNvidiaGpusFromNvidiaSmiCsvWithNotAvailableFieldsLeftUnknown() {
        List<Snapshot.Gpu> gpus = NvidiaSmi.parse(text("nvidia-smi.csv"));

        assertThat(gpus).hasSize(2);
        Snapshot.Gpu rtx = gpus.getFirst();
        assertThat(rtx.id()).isEqualTo("nvidia0");
        assertThat(rtx.name()).isEqualTo("NVIDIA GeForce RTX 3090");
        assertThat(rtx.utilization()).isEqualTo(87.0);
        assertThat(rtx.memoryUsed()).isEqualTo(18_432L << 20);
        assertThat(rtx.memoryTotal()).isEqualTo(24_576L << 20);
        assertThat(rtx.temperature()).isEqualTo(71.0);
        assertThat(rtx.power()).isCloseTo(312.45, within(1e-9));
        assertThat(gpus.get(1).power()).isNaN();
    }

    @Test
    void nvidiaSmiGpusReplaceNoneAndJoinTheDrmOnes() {
        Recorded commands = new Recorded().answer(NvidiaSmi.COMMAND, 0, "nvidia-smi.csv");
        Inventory inventory = new Inventory(fixture("desktop"), commands, InventorySettings.DEFAULTS);
        inventory.probe(0);
        assertThat(inventory.attach(bare()).gpus()).extracting(Snapshot.Gpu::id)
                .containsExactly("nvidia0", "nvidia1", "card0", "card1");
    }

    @Test
    void readsSataNvmeAndUsbDrivesWithoutWakingSleepingOnes() {
        Recorded commands = new Recorded()
                .answer(Smartctl.SCAN, 0, "smartctl-scan.json")
                .answer(new Smartctl.Device("/dev/sda", "sat").readCommand(), 0, "smartctl-sata.json")
                .answer(new Smartctl.Device("/dev/sdb", "sat").readCommand(), 24, "smartctl-usb.json")
                .answer(new Smartctl.Device("/dev/nvme0", "nvme").readCommand(), 0, "smartctl-nvme.json");
        Snapshot.DiskHealth health = Inventory.diskHealth(commands, 42);

        assertThat(health.unavailable()).isNull();
        assertThat(health.checkedAt()).isEqualTo(42);
        assertThat(commands.asked).allMatch(c -> c.equals(Smartctl.SCAN) || c.containsAll(List.of("-n", "standby")));
        Snapshot.DiskHealth.Drive sata = health.drives().get(0);
        assertThat(sata.device()).isEqualTo("/dev/sda");
        assertThat(sata.model()).isEqualTo("WDC WD40EFRX-68N32N0");
        assertThat(sata.protocol()).isEqualTo("ATA");
        assertThat(sata.health()).isEqualTo(Snapshot.SmartHealth.PASSED);
        assertThat(sata.temperature()).isEqualTo(36.0);
        assertThat(sata.powerOnHours()).isEqualTo(34_567);
        assertThat(sata.reallocated()).isEqualTo(12);
        assertThat(sata.pending()).isEqualTo(2);
        assertThat(sata.percentageUsed()).isNaN();
        assertThat(sata.mediaErrors()).isEqualTo(-1);
        Snapshot.DiskHealth.Drive usb = health.drives().get(1);
        assertThat(usb.health()).isEqualTo(Snapshot.SmartHealth.FAILED);
        assertThat(usb.reallocated()).isEqualTo(3_912);
        assertThat(usb.pending()).isEqualTo(24);
        Snapshot.DiskHealth.Drive nvme = health.drives().get(2);
        assertThat(nvme.protocol()).isEqualTo("NVMe");
        assertThat(nvme.percentageUsed()).isEqualTo(3.0);
        assertThat(nvme.mediaErrors()).isZero();
        assertThat(nvme.powerOnHours()).isEqualTo(6_241);
        assertThat(nvme.reallocated()).isEqualTo(-1);

        Snapshot.DiskHealth.Drive asleep = Smartctl.drive("/dev/sdb", text("smartctl-standby.json"));
        assertThat(asleep.standby()).isTrue();
        assertThat(asleep.health()).isEqualTo(Snapshot.SmartHealth.UNKNOWN);
        assertThat(asleep.temperature()).isNaN();
    }

    @Test
    void saysWhySmartIsNotAvailableInsteadOfFailing() {
        assertThat(Inventory.diskHealth(new Recorded(), 1).unavailable()).isEqualTo(Snapshot.SmartUnavailable.NO_SMARTCTL);
        Recorded denied = new Recorded().answer(Smartctl.SCAN, 0, "smartctl-scan.json");
        for (String dev : List.of("/dev/sda", "/dev/sdb")) denied.answer(new Smartctl.Device(dev, "sat").readCommand(), 2, "smartctl-denied.json");
        denied.answer(new Smartctl.Device("/dev/nvme0", "nvme").readCommand(), 2, "smartctl-denied.json");
        Snapshot.DiskHealth health = Inventory.diskHealth(denied, 1);
        assertThat(health.unavailable()).isEqualTo(Snapshot.SmartUnavailable.NO_PERMISSION);
        assertThat(SnapshotJson.diskHealth(new StringBuilder(), health).toString())
                .isEqualTo("{\"unavailable\":\"no-permission\",\"checkedAt\":1,\"drives\":[]}");
    }

    /** The machine's own smartctl: this host has only virtual disks, so it must say so, not fail. */
    @Test
    void theRealSmartctlHereReportsNoDevices() {
        Snapshot.DiskHealth health = Inventory.diskHealth(Inventory::runProgram, 5);
        assertThat(health.drives()).isEmpty();
        assertThat(health.unavailable()).isIn(Snapshot.SmartUnavailable.NO_DEVICES, Snapshot.SmartUnavailable.NO_SMARTCTL);
        if (Files.isExecutable(Path.of("/usr/sbin/smartctl"))) {
            assertThat(health.unavailable()).isEqualTo(Snapshot.SmartUnavailable.NO_DEVICES);
        }
    }

    @Test
    void smartRunsOnItsOwnScheduleOnly() {
        Recorded commands = new Recorded();
        Inventory inventory = new Inventory(fixture("vm"), commands, InventorySettings.DEFAULTS);
        inventory.probe(0);
        inventory.probe(60_000);
        inventory.probe(15 * 60_000);
        assertThat(commands.asked.stream().filter(c -> c.equals(Smartctl.SCAN)).count()).isEqualTo(2);
        // neither nvidia-smi nor systemctl is installed: asked once, then never again
        assertThat(commands.asked.stream().filter(c -> c.equals(NvidiaSmi.COMMAND)).count()).isEqualTo(1);
        assertThat(commands.asked.stream().filter(c -> c.equals(SystemdUnits.JSON)).count()).isEqualTo(1);
        assertThat(inventory.attach(bare()).services()).isNull();
        assertThat(inventory.attach(bare()).diskHealth().unavailable()).isEqualTo(Snapshot.SmartUnavailable.NO_SMARTCTL);
    }

    @Test
    void countsUnitsByStateNamesTheFailedOnesAndReportsWatchedUnits() {
        Set<String> watched = Set.of("nginx.service", "cron.service", "gone.service");
        Snapshot.Services s = SystemdUnits.summarize(SystemdUnits.parseJson(text("systemctl-units.json")), watched);

        assertThat(s.total()).isEqualTo(8);
        assertThat(s.active()).isEqualTo(3);
        assertThat(s.inactive()).isEqualTo(2);
        assertThat(s.failed()).isEqualTo(2);
        assertThat(s.transitioning()).isEqualTo(1);
        assertThat(s.failedUnits()).containsExactly("nginx.service", "systemd-networkd-wait-online.service");
        assertThat(s.watched()).containsExactly(new Snapshot.Services.Unit("cron.service", "active", "running"),
                new Snapshot.Services.Unit("gone.service", "not-found", ""),
                new Snapshot.Services.Unit("nginx.service", "failed", "failed"));

        Snapshot.Services plain = SystemdUnits.summarize(SystemdUnits.parsePlain(text("systemctl-units.txt")), Set.of());
        assertThat(plain.total()).isEqualTo(4);
        assertThat(plain.failedUnits()).containsExactly("nginx.service");
    }

    @Test
    void parsesProcIoCounters() {
        long[] io = new long[2];
        assertThat(LocalProcessDetails.parseIo("rchar: 6976\nwchar: 0\nsyscr: 10\nsyscw: 0\nread_bytes: 4096\n"
                + "write_bytes: 8192\ncancelled_write_bytes: 0\n", io)).isTrue();
        assertThat(io).containsExactly(4096, 8192);
        assertThat(LocalProcessDetails.parseIo("rchar: 1\n", io)).isFalse();
    }

    @Test
    void writesTheSectionsOnlyWhereCollectedAndLeavesUnknownValuesOut() {
        Snapshot s = bare();
        Snapshot withAll = new Snapshot(s.serverId(), s.ts(), s.cpu(), s.memory(), s.disks(), s.diskIo(), s.network(),
                new Snapshot.Processes(1, List.of(new Snapshot.Processes.Process(7, "dd", "root", 50, 1024, "dd", 1.5e6, Double.NaN))),
                null, List.of(new Snapshot.Sensor("coretemp", "Core 0", SensorKind.TEMPERATURE, 45.5, 80, Double.NaN)),
                List.of(), null, new Snapshot.Services(3, 1, 1, 1, 0, List.of("a.service"), List.of()));
        String json = SnapshotJson.write(withAll);
        assertThat(json).contains("\"command\":\"dd\",\"readBps\":1500000}")
                .contains(",\"sensors\":[{\"chip\":\"coretemp\",\"label\":\"Core 0\",\"kind\":\"temperature\",\"value\":45.5,\"max\":80}]")
                .contains(",\"gpus\":[]")
                .contains(",\"services\":{\"total\":3,\"active\":1,\"inactive\":1,\"failed\":1,\"transitioning\":0,\"failedUnits\":[\"a.service\"],\"watched\":[]}")
                .doesNotContain("diskHealth", "1500000,\"writeBps", "containers");
    }

    /** What the per-sample part costs on a desktop's sysfs (the slow probes run on their own thread): printed for PERFORMANCE.md. */
    @Test
    void sysfsPartOfASampleCostsLittle() {
        Inventory inventory = new Inventory(fixture("desktop"), new Recorded(), InventorySettings.DEFAULTS);
        Snapshot base = bare();
        for (int i = 0; i < 500; i++) inventory.attach(base);
        int n = 3_000;
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) assertThat(inventory.attach(base).sensors()).hasSize(9);
        double micros = (threads.getCurrentThreadCpuTime() - start) / 1e3 / n;
        System.out.printf("inventory attach (9 sensors, 2 DRM cards, 14 of 41 sysfs files read a sample): %.1f µs CPU a sample%n", micros);
        assertThat(micros).isLessThan(5_000);
    }
}
