package dev.flick.hub.alerts;

import static dev.flick.hub.alerts.AlertEngineTest.T0;
import static dev.flick.hub.alerts.AlertEngineTest.WEB;
import static dev.flick.hub.alerts.AlertEngineTest.rule;
import static dev.flick.hub.alerts.AlertEngineTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.flick.collector.Snapshot;

import org.junit.jupiter.api.Test;

/** Alert rules on the host-inventory sections: sensors, GPUs, S.M.A.R.T., systemd units (issue 12). */
class InventoryAlertsTest {

    final List<Change> changes = new ArrayList<>();
    final AlertEngine engine = new AlertEngine(changes::add, 3_000);

    static Snapshot host(long second, double cpuTemp, double nvmeTemp, double gpuUtil, Snapshot.SmartHealth health,
                         long reallocated, List<String> failedUnits) {
        Snapshot base = AlertEngineTest.cpu(WEB, T0 + second * 1000, 10);
        return new Snapshot(base.serverId(), base.ts(), base.cpu(), base.memory(), base.disks(), base.diskIo(), base.network(),
                base.processes(), null,
                List.of(new Snapshot.Sensor("coretemp", "Package id 0", Snapshot.SensorKind.TEMPERATURE, cpuTemp, 80, 100),
                        new Snapshot.Sensor("nvme@hwmon1", "Composite", Snapshot.SensorKind.TEMPERATURE, nvmeTemp, 81.85, 84.85),
                        new Snapshot.Sensor("nct6798", "fan2", Snapshot.SensorKind.FAN, 1074, Double.NaN, Double.NaN),
                        new Snapshot.Sensor("thermal", "acpitz", Snapshot.SensorKind.TEMPERATURE, 200, Double.NaN, Double.NaN)),
                List.of(new Snapshot.Gpu("nvidia0", "NVIDIA GeForce RTX 3090", Snapshot.GpuVendor.NVIDIA, gpuUtil, 1, 2, 70, 300)),
                new Snapshot.DiskHealth(null, T0, List.of(
                        new Snapshot.DiskHealth.Drive("/dev/sda", "WDC WD40EFRX", "ATA", health, false, 36, 34_567, reallocated, 2, Double.NaN, -1),
                        new Snapshot.DiskHealth.Drive("/dev/sdb", "", "ATA", Snapshot.SmartHealth.UNKNOWN, true, Double.NaN, -1, -1, -1, Double.NaN, -1))),
                new Snapshot.Services(100, 90, 8, failedUnits.size(), 2, failedUnits, List.of()));
    }

    static Snapshot calm(long second) {
        return host(second, 50, 40, 10, Snapshot.SmartHealth.PASSED, 0, List.of());
    }

    <T extends Change> List<T> of(Class<T> type) {
        return changes.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aSensorWithoutThresholdsOfTheRulesOwnFiresAtTheKernelsCriticalOnItsOwnTrack() {
        engine.rules(List.of(rule("sensor.temperature", ">", null, null, 2)));
        engine.evaluate(calm(0));
        for (int s = 1; s <= 3; s++) engine.evaluate(host(s, 50, 85, 10, Snapshot.SmartHealth.PASSED, 0, List.of()));

        assertThat(of(Change.Opened.class)).singleElement().satisfies(o -> {
            assertThat(o.mount()).isEqualTo("nvme@hwmon1/Composite");
            assertThat(o.level()).isEqualTo("critical");
            assertThat(o.threshold()).isEqualTo(84.85);
            assertThat(o.ts()).isEqualTo(T0 + 3_000);
            assertThat(o.facts()).containsExactly("nvme@hwmon1/Composite: 85.0 °C (kernel critical 84.9 °C)");
        });
        // A zone at 200 °C with no kernel threshold is not judged without one; a fan is never a temperature.
        engine.evaluate(calm(4));
        assertThat(of(Change.Closed.class)).hasSize(1);
    }

    @Test
    void aRuleForOneSensorWithItsOwnThresholdsWatchesOnlyThatSensorWithHysteresis() {
        engine.rules(List.of(with(rule("sensor.temperature", ">", 70.0, 90.0, 0), 3.0, null, null, "coretemp/Package id 0", null)));
        engine.evaluate(host(0, 72, 99, 10, Snapshot.SmartHealth.PASSED, 0, List.of()));
        engine.evaluate(host(1, 68, 99, 10, Snapshot.SmartHealth.PASSED, 0, List.of())); // within the margin: stays
        engine.evaluate(host(2, 66, 99, 10, Snapshot.SmartHealth.PASSED, 0, List.of()));
        assertThat(of(Change.Opened.class)).singleElement().satisfies(o -> {
            assertThat(o.mount()).isEqualTo("coretemp/Package id 0");
            assertThat(o.level()).isEqualTo("warning");
        });
        assertThat(of(Change.Closed.class)).singleElement().satisfies(c -> assertThat(c.ts()).isEqualTo(T0 + 2_000));
    }

    @Test
    void aFailingDriveFiresWithItsAttributesAsEvidenceAndASleepingOneIsNotJudged() {
        engine.rules(List.of(rule("smart.failed", ">", null, null, 0)));
        engine.evaluate(calm(0));
        engine.evaluate(host(1, 50, 40, 10, Snapshot.SmartHealth.FAILED, 3_912, List.of()));

        assertThat(of(Change.Opened.class)).singleElement().satisfies(o -> {
            assertThat(o.mount()).isEqualTo("/dev/sda");
            assertThat(o.level()).isEqualTo("critical");
            assertThat(o.facts()).singleElement().asString()
                    .contains("/dev/sda WDC WD40EFRX: health failed", "reallocated 3912", "pending 2", "36.0 °C");
        });
    }

    @Test
    void anAttributeOverItsThresholdFires() {
        engine.rules(List.of(rule("smart.reallocated", ">", 10.0, 100.0, 0)));
        engine.evaluate(host(0, 50, 40, 10, Snapshot.SmartHealth.PASSED, 12, List.of()));
        engine.evaluate(host(1, 50, 40, 10, Snapshot.SmartHealth.PASSED, 150, List.of()));
        // One incident: opened at warning, raised to critical in place (docs/alerts.md "Incidents").
        assertThat(of(Change.Opened.class)).extracting(Change.Opened::level).containsExactly("warning");
        assertThat(of(Change.Leveled.class)).extracting(Change.Leveled::level).containsExactly("critical");
    }

    @Test
    void aFailedUnitFiresByCountAndANamedUnitOnItsOwn() {
        engine.rules(List.of(rule("service.failed", ">", null, null, 0),
                new AlertRule("r2", "nginx", "service.failed", ">", null, null, "warning", "critical", 0, null, "nginx.service",
                        null, null, List.of(), true, null, "u1", T0)));
        engine.evaluate(calm(0));
        engine.evaluate(host(1, 50, 40, 10, Snapshot.SmartHealth.PASSED, 0, List.of("backup.service")));
        assertThat(of(Change.Opened.class)).singleElement().satisfies(o -> {
            assertThat(o.rule().id()).isEqualTo("r1");
            assertThat(o.facts()).containsExactly("failed units: backup.service");
        });
        engine.evaluate(host(2, 50, 40, 10, Snapshot.SmartHealth.PASSED, 0, List.of("backup.service", "nginx.service")));
        assertThat(of(Change.Opened.class)).hasSize(2).last().satisfies(o -> assertThat(o.mount()).isEqualTo("nginx.service"));
        engine.evaluate(calm(3));
        assertThat(of(Change.Closed.class)).hasSize(2);
    }

    @Test
    void gpuUtilisationAndTemperatureFirePerGpu() {
        engine.rules(List.of(rule("gpu.utilization", ">", 90.0, null, 1), with(rule("gpu.temperature", ">", 65.0, null, 0), null,
                null, null, "nvidia0", null)));
        engine.evaluate(host(0, 50, 40, 95, Snapshot.SmartHealth.PASSED, 0, List.of()));
        engine.evaluate(host(1, 50, 40, 96, Snapshot.SmartHealth.PASSED, 0, List.of()));
        assertThat(of(Change.Opened.class)).extracting(Change.Opened::mount).containsExactly("nvidia0", "nvidia0");
        assertThat(of(Change.Opened.class).getFirst().facts().getFirst()).startsWith("nvidia0 NVIDIA GeForce RTX 3090");
    }

    @Test
    void hostsWithoutTheSectionsAreNotJudged() {
        engine.rules(List.of(rule("sensor.temperature", ">", 1.0, null, 0), rule("smart.failed", ">", null, null, 0),
                rule("service.failed", ">", null, null, 0), rule("gpu.temperature", ">", 1.0, null, 0)));
        for (int s = 0; s < 3; s++) engine.evaluate(AlertEngineTest.cpu(WEB, T0 + s * 1000, 99));
        assertThat(changes).isEmpty();
    }
}
