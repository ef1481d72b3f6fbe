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
        public record Process(int pid, String name, String user, double cpu, long rss, String command) {
            public Process {
                command = CommandLines.redact(command);
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

    /** One temperature or fan sensor, keyed by chip and label (issue 12). */
    public record Sensor() {}

    /** One GPU (issue 12). */
    public record Gpu() {}

    /** S.M.A.R.T. results of the host's disks, or why they are not available here (issue 12). */
    public record DiskHealth() {}

    /** systemd units by state (issue 12). */
    public record Services() {}

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
