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
    /** Per container (the track's key is its name): 1 while it is exited or dead, else 0. */
    CONTAINER_STOPPED("container.stopped", "Container stopped", Unit.PLAIN),
    /** Per container: 1 while its health check says unhealthy, else 0. */
    CONTAINER_UNHEALTHY("container.unhealthy", "Container unhealthy", Unit.PLAIN),
    /** Per container: restarts within the rule's window (its durationSeconds), docs/alerts.md. */
    CONTAINER_RESTARTS("container.restarts", "Container restarts", Unit.PLAIN);

    enum Unit { PERCENT, PLAIN, BYTES_PER_SECOND, SECONDS }

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
            case DISK_USAGE, OFFLINE, CONTAINER_STOPPED, CONTAINER_UNHEALTHY, CONTAINER_RESTARTS -> Double.NaN;
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
