package dev.flick.collector;

import java.util.List;

/**
 * One sample of a machine, exactly as API.md "The snapshot" defines it.
 * Bytes are bytes, rates are per second, percentages are 0–100, {@code ts} is epoch milliseconds.
 *
 * <p>The sections after {@code processes} are optional (docs/snapshot.md): {@code null} means "not collected on
 * this host" (no container engine, no sensors, no smartctl, no systemd) and is left out of the JSON, so the client
 * draws no empty panel; an empty list means "collected, none there".
 */
public record Snapshot(
        String serverId,
        long ts,
        Cpu cpu,
        Memory memory,
        List<Disk> disks,
        DiskIo diskIo,
        Network network,
        Processes processes,
        List<Container> containers,
        List<Sensor> sensors,
        List<Gpu> gpus,
        DiskHealth diskHealth,
        Services services) {

    /** A snapshot with the core sections only (no containers, sensors, GPUs, disk health or services). */
    public Snapshot(String serverId, long ts, Cpu cpu, Memory memory, List<Disk> disks, DiskIo diskIo,
                    Network network, Processes processes) {
        this(serverId, ts, cpu, memory, disks, diskIo, network, processes, null, null, null, null, null);
    }

    public Snapshot withServerId(String id) {
        return new Snapshot(id, ts, cpu, memory, disks, diskIo, network, processes,
                containers, sensors, gpus, diskHealth, services);
    }

    /** The same snapshot with its containers section ({@code null}: not collected on this host). */
    public Snapshot withContainers(List<Container> list) {
        return new Snapshot(serverId, ts, cpu, memory, disks, diskIo, network, processes,
                list, sensors, gpus, diskHealth, services);
    }

    public Snapshot withTs(long newTs) {
        return new Snapshot(serverId, newTs, cpu, memory, disks, diskIo, network, processes,
                containers, sensors, gpus, diskHealth, services);
    }

    /** usage: share of all CPU time not idle or iowait over the interval, whole machine. cores: one entry per logical CPU. */
    public record Cpu(double usage, double user, double system, double iowait, double steal,
                      double[] cores, double load1, double load5, double load15) {}

    /** used = total − available. */
    public record Memory(long total, long used, long available, long cached, long swapTotal, long swapUsed) {}

    /** A real mounted filesystem; used and total agree with {@code df -B1}. */
    public record Disk(String mount, String device, String fs, long total, long used) {}

    public record DiskIo(double readBps, double writeBps, List<Device> devices) {
        public record Device(String name, double readBps, double writeBps) {}
    }

    /** rxBps/txBps sum the non-loopback interfaces; interfaces lists every one, loopback included. */
    public record Network(double rxBps, double txBps, List<Interface> interfaces) {
        public record Interface(String name, double rxBps, double txBps) {}
    }

    /** top: the 10 busiest by CPU, then others to complete the top 10 by memory. cpu is percent of one core. */
    public record Processes(int count, List<Process> top) {
        /** command has its secrets redacted ({@link CommandLines}), whatever source built it. */
        public record Process(int pid, String name, String user, double cpu, long rss, String command,
                              double readBps, double writeBps) {
            public Process {
                command = CommandLines.redact(command);
            }

            /** Disk I/O not known (not read, not permitted, or first seen in this sample): NaN, left out of the JSON. */
            public Process(int pid, String name, String user, double cpu, long rss, String command) {
                this(pid, name, user, cpu, rss, command, Double.NaN, Double.NaN);
            }
        }
    }

    /**
     * One container of a Docker or Podman engine (docs/snapshot.md "containers"). cpu is percent of one core (like a
     * process), memory the bytes in use without inactive page cache (as {@code docker stats}), memoryLimit 0 when the
     * container has none, startedAt epoch ms (0 when it never started), rates per second, pids 0 when not running.
     */
    public record Container(String id, String name, String image, State state, Health health, int restarts,
                            long startedAt, double cpu, long memory, long memoryLimit, double rxBps, double txBps,
                            double readBps, double writeBps, int pids) {

        /** The engine's state, Docker's names; Podman's "stopped" and "configured" map onto exited and created. */
        public enum State {
            CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

            private static final State[] ALL = values();

            public String json() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }

            /** What an engine (or a stored snapshot) calls it; unknown words read as exited. */
            public static State of(String word) {
                if (word == null) return EXITED;
                return switch (word.toLowerCase(java.util.Locale.ROOT)) {
                    case "created", "configured", "initialized" -> CREATED;
                    case "running" -> RUNNING;
                    case "paused" -> PAUSED;
                    case "restarting" -> RESTARTING;
                    case "removing", "stopping" -> REMOVING;
                    case "dead" -> DEAD;
                    default -> EXITED;
                };
            }

            public static State ofOrdinal(int ordinal) {
                return ordinal >= 0 && ordinal < ALL.length ? ALL[ordinal] : EXITED;
            }
        }

        /** The health check's verdict; none when the container has no health check. */
        public enum Health {
            NONE, STARTING, HEALTHY, UNHEALTHY;

            private static final Health[] ALL = values();

            public String json() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }

            public static Health of(String word) {
                if (word == null) return NONE;
                return switch (word.toLowerCase(java.util.Locale.ROOT)) {
                    case "starting" -> STARTING;
                    case "healthy" -> HEALTHY;
                    case "unhealthy" -> UNHEALTHY;
                    default -> NONE;
                };
            }

            public static Health ofOrdinal(int ordinal) {
                return ordinal >= 0 && ordinal < ALL.length ? ALL[ordinal] : NONE;
            }
        }
    }

    /**
     * One temperature or fan sensor (docs/snapshot.md "Sensors"), keyed by chip and label. value: °C for a
     * temperature, RPM for a fan; max and critical are the kernel's thresholds, NaN where it gives none.
     */
    public record Sensor(String chip, String label, SensorKind kind, double value, double max, double critical) {
        /** chip/label: what alerts and charts key a sensor by. */
        public String key() {
            return chip + "/" + label;
        }
    }

    public enum SensorKind {
        TEMPERATURE, FAN;

        public String json() {
            return this == TEMPERATURE ? "temperature" : "fan";
        }
    }

    /**
     * One GPU (docs/snapshot.md "GPUs"). utilization percent, memory bytes, temperature °C, power watts; NaN or −1
     * (memory) where the driver does not say.
     */
    public record Gpu(String id, String name, GpuVendor vendor, double utilization, long memoryUsed, long memoryTotal,
                      double temperature, double power) {}

    public enum GpuVendor {
        NVIDIA, AMD, INTEL, OTHER;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * S.M.A.R.T. results of the host's disks (docs/snapshot.md "Disk health"), or why there are none:
     * {@code unavailable} is null when smartctl ran, else the reason and {@code drives} is empty.
     * checkedAt: epoch ms of the last scan (they run every 15 minutes by default).
     */
    public record DiskHealth(SmartUnavailable unavailable, long checkedAt, List<Drive> drives) {
        /**
         * One drive. −1 / NaN where smartctl does not report a value (a sleeping disk reports nothing but
         * {@code standby}); temperature °C, percentageUsed the NVMe wear estimate (0–255 %).
         */
        public record Drive(String device, String model, String protocol, SmartHealth health, boolean standby,
                            double temperature, long powerOnHours, long reallocated, long pending,
                            double percentageUsed, long mediaErrors) {}
    }

    /** Why S.M.A.R.T. data is not available on a host: a state to show, not an error to repeat. */
    public enum SmartUnavailable {
        NO_SMARTCTL, NO_PERMISSION, NO_DEVICES;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public enum SmartHealth {
        PASSED, FAILED, UNKNOWN;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * systemd units by active state (docs/snapshot.md "Services"): counts over all loaded units, the failed ones by
     * name (at most {@link #MAX_NAMES}), and the state of each watched unit (a setting).
     */
    public record Services(int total, int active, int inactive, int failed, int transitioning,
                           List<String> failedUnits, List<Unit> watched) {
        public static final int MAX_NAMES = 100;

        /** activeState: active, inactive, failed, activating…; "not-found" when a watched unit is not loaded. */
        public record Unit(String name, String activeState, String subState) {}
    }

    public long diskUsed() {
        long sum = 0;
        for (Disk d : disks) sum += d.used();
        return sum;
    }

    public long diskTotal() {
        long sum = 0;
        for (Disk d : disks) sum += d.total();
        return sum;
    }
}
