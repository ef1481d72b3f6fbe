package dev.flick.hub.alerts;

import java.util.Locale;

import dev.flick.collector.Snapshot;

/** What a rule can watch: the snapshot's own paths (API.md "Alerts"), each with its unit for people. */
enum Metric {
    CPU_USAGE("cpu.usage", "CPU usage", Unit.PERCENT),
    MEMORY_USAGE("memory.usage", "Memory usage", Unit.PERCENT),
    SWAP_USAGE("swap.usage", "Swap usage", Unit.PERCENT),
    DISK_USAGE("disk.usage", "Disk usage", Unit.PERCENT),
    LOAD1("cpu.load1", "Load (1 min)", Unit.PLAIN),
    LOAD5("cpu.load5", "Load (5 min)", Unit.PLAIN),
    LOAD15("cpu.load15", "Load (15 min)", Unit.PLAIN),
    NET_RX("network.rxBps", "Network receive", Unit.BYTES_PER_SECOND),
    NET_TX("network.txBps", "Network send", Unit.BYTES_PER_SECOND),
    DISK_READ("diskIo.readBps", "Disk read", Unit.BYTES_PER_SECOND),
    DISK_WRITE("diskIo.writeBps", "Disk write", Unit.BYTES_PER_SECOND),
    OFFLINE("server.offline", "Silence", Unit.SECONDS),
    /** Per sensor (part: chip/label); without thresholds of its own a rule uses the kernel's critical one. */
    SENSOR_TEMPERATURE("sensor.temperature", "Temperature", Unit.CELSIUS),
    /** Per GPU (part: its id). */
    GPU_TEMPERATURE("gpu.temperature", "GPU temperature", Unit.CELSIUS),
    GPU_UTILIZATION("gpu.utilization", "GPU utilisation", Unit.PERCENT),
    /** Per drive (part: its device): 1 while S.M.A.R.T. says it is failing, 0 while it passes; fires above 0.5 by default. */
    SMART_FAILED("smart.failed", "Disk health failing", Unit.STATE),
    SMART_TEMPERATURE("smart.temperature", "Drive temperature", Unit.CELSIUS),
    SMART_REALLOCATED("smart.reallocated", "Reallocated sectors", Unit.COUNT),
    SMART_PENDING("smart.pending", "Pending sectors", Unit.COUNT),
    SMART_WEAR("smart.percentageUsed", "NVMe wear", Unit.PERCENT),
    SMART_MEDIA_ERRORS("smart.mediaErrors", "NVMe media errors", Unit.COUNT),
    /** Failed systemd units: their count, or (part: a unit name) 1 while that unit is failed; fires above 0.5 by default. */
    SERVICE_FAILED("service.failed", "Failed units", Unit.COUNT),
    /** Per container (the track's key is its name): 1 while it is exited or dead, else 0. */
    CONTAINER_STOPPED("container.stopped", "Container stopped", Unit.PLAIN),
    /** Per container: 1 while its health check says unhealthy, else 0. */
    CONTAINER_UNHEALTHY("container.unhealthy", "Container unhealthy", Unit.PLAIN),
    /** Per container: restarts within the rule's window (its durationSeconds), docs/alerts.md. */
    CONTAINER_RESTARTS("container.restarts", "Container restarts", Unit.PLAIN);

    enum Unit { PERCENT, PLAIN, BYTES_PER_SECOND, SECONDS, CELSIUS, COUNT, STATE }

    /** Metrics watched per part of a section (sensor, GPU, drive, unit), named in the rule's {@code mount} field. */
    boolean perPart() {
        return switch (this) {
            case SENSOR_TEMPERATURE, GPU_TEMPERATURE, GPU_UTILIZATION, SMART_FAILED, SMART_TEMPERATURE, SMART_REALLOCATED,
                 SMART_PENDING, SMART_WEAR, SMART_MEDIA_ERRORS -> true;
            default -> false;
        };
    }

    /** Rules on these may leave both thresholds out: a state fires above 0.5, a sensor at the kernel's critical. */
    boolean hasDefaultThreshold() {
        return this == SMART_FAILED || this == SERVICE_FAILED || this == SENSOR_TEMPERATURE || this == OFFLINE;
    }

    final String id;
    final String label;
    final Unit unit;

    Metric(String id, String label, Unit unit) {
        this.id = id;
        this.label = label;
        this.unit = unit;
    }

    static Metric of(String id) {
        for (Metric m : values()) {
            if (m.id.equals(id)) return m;
        }
        return null;
    }

    static String ids() {
        StringBuilder b = new StringBuilder();
        for (Metric m : values()) b.append(b.isEmpty() ? "" : ", ").append(m.id);
        return b.toString();
    }

    /** The value in a snapshot, or NaN when the snapshot does not say (no swap, no memory total). Not for disks or offline. */
    double value(Snapshot s) {
        return switch (this) {
            case CPU_USAGE -> s.cpu() == null ? Double.NaN : s.cpu().usage();
            case MEMORY_USAGE -> s.memory() == null || s.memory().total() <= 0 ? Double.NaN : 100.0 * s.memory().used() / s.memory().total();
            case SWAP_USAGE -> s.memory() == null || s.memory().swapTotal() <= 0 ? Double.NaN
                    : 100.0 * s.memory().swapUsed() / s.memory().swapTotal();
            case LOAD1 -> s.cpu() == null ? Double.NaN : s.cpu().load1();
            case LOAD5 -> s.cpu() == null ? Double.NaN : s.cpu().load5();
            case LOAD15 -> s.cpu() == null ? Double.NaN : s.cpu().load15();
            case NET_RX -> s.network() == null ? Double.NaN : s.network().rxBps();
            case NET_TX -> s.network() == null ? Double.NaN : s.network().txBps();
            case DISK_READ -> s.diskIo() == null ? Double.NaN : s.diskIo().readBps();
            case DISK_WRITE -> s.diskIo() == null ? Double.NaN : s.diskIo().writeBps();
            case SERVICE_FAILED -> s.services() == null ? Double.NaN : s.services().failed();
            case DISK_USAGE, OFFLINE, SENSOR_TEMPERATURE, GPU_TEMPERATURE, GPU_UTILIZATION, SMART_FAILED, SMART_TEMPERATURE,
                 SMART_REALLOCATED, SMART_PENDING, SMART_WEAR, SMART_MEDIA_ERRORS, CONTAINER_STOPPED, CONTAINER_UNHEALTHY,
                 CONTAINER_RESTARTS -> Double.NaN;
        };
    }

    /** A drive's value for a S.M.A.R.T. metric; NaN when unknown (asleep, not reported, health unknown). */
    double drive(Snapshot.DiskHealth.Drive d) {
        return switch (this) {
            case SMART_FAILED -> d.health() == Snapshot.SmartHealth.FAILED ? 1 : d.health() == Snapshot.SmartHealth.PASSED ? 0 : Double.NaN;
            case SMART_TEMPERATURE -> d.temperature();
            case SMART_REALLOCATED -> d.reallocated() < 0 ? Double.NaN : d.reallocated();
            case SMART_PENDING -> d.pending() < 0 ? Double.NaN : d.pending();
            case SMART_WEAR -> d.percentageUsed();
            case SMART_MEDIA_ERRORS -> d.mediaErrors() < 0 ? Double.NaN : d.mediaErrors();
            default -> Double.NaN;
        };
    }

    boolean perContainer() {
        return this == CONTAINER_STOPPED || this == CONTAINER_UNHEALTHY || this == CONTAINER_RESTARTS;
    }

    /** A container's 0/1 condition for the stopped and unhealthy metrics. */
    double containerValue(Snapshot.Container c) {
        return switch (this) {
            case CONTAINER_STOPPED -> c.state() == Snapshot.Container.State.EXITED || c.state() == Snapshot.Container.State.DEAD ? 1 : 0;
            case CONTAINER_UNHEALTHY -> c.health() == Snapshot.Container.Health.UNHEALTHY ? 1 : 0;
            default -> Double.NaN;
        };
    }

    static double diskUsage(Snapshot.Disk d) {
        return d.total() <= 0 ? Double.NaN : 100.0 * d.used() / d.total();
    }

    String format(Double v) {
        if (v == null || v.isNaN()) return "-";
        return switch (unit) {
            case PERCENT -> String.format(Locale.ROOT, "%.1f %%", v);
            case PLAIN -> String.format(Locale.ROOT, "%.2f", v);
            case SECONDS -> String.format(Locale.ROOT, "%.0f s", v);
            case CELSIUS -> String.format(Locale.ROOT, "%.1f °C", v);
            case COUNT, STATE -> String.format(Locale.ROOT, "%.0f", v);
            case BYTES_PER_SECOND -> rate(v);
        };
    }

    private static String rate(double v) {
        String[] units = {"B/s", "KiB/s", "MiB/s", "GiB/s"};
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, i == 0 ? "%.0f %s" : "%.1f %s", v, units[i]);
    }
}
