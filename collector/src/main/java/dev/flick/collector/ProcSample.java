package dev.flick.collector;

import java.util.List;
import java.util.Map;

/**
 * Raw counters of one machine at one instant, in the terms Linux's /proc uses: CPU ticks, byte counters, process CPU time.
 * The SSH path parses them from {@link ProcScript}'s text, the local collector reads them from /proc (or OSHI elsewhere),
 * and {@link ProcSnapshotCalculator} turns two of them into a {@link Snapshot}, so every source shares one arithmetic.
 *
 * @param ts          epoch milliseconds the sample stands for
 * @param clockNanos  a monotonic clock; only differences between samples of one source matter
 * @param processes   sorted by pid, so the previous sample can be searched without an index
 * @param userNames   uid → user name, when this sample carries the passwd table (else empty)
 */
public record ProcSample(
        long ts,
        long clockNanos,
        CpuTimes cpu,
        List<CpuTimes> cores,
        double load1,
        double load5,
        double load15,
        Memory memory,
        List<Filesystem> filesystems,
        List<BlockDevice> blockDevices,
        List<NetInterface> interfaces,
        List<Process> processes,
        Map<Integer, String> userNames,
        Sections sections) {

    /** A sample without host inventory (sensors, GPUs, disk health, services). */
    public ProcSample(long ts, long clockNanos, CpuTimes cpu, List<CpuTimes> cores, double load1, double load5, double load15,
                      Memory memory, List<Filesystem> filesystems, List<BlockDevice> blockDevices,
                      List<NetInterface> interfaces, List<Process> processes, Map<Integer, String> userNames) {
        this(ts, clockNanos, cpu, cores, load1, load5, load15, memory, filesystems, blockDevices, interfaces, processes,
                userNames, Sections.NONE);
    }

    /** The optional sections as the source found them, passed through to the snapshot as they are (null: not collected). */
    public record Sections(List<Snapshot.Sensor> sensors, List<Snapshot.Gpu> gpus, Snapshot.DiskHealth diskHealth,
                            Snapshot.Services services) {
        public static final Sections NONE = new Sections(null, null, null, null);
    }

    public ProcSample {
        cores = List.copyOf(cores);
        filesystems = List.copyOf(filesystems);
        blockDevices = List.copyOf(blockDevices);
        interfaces = List.copyOf(interfaces);
        processes = sortedByPid(processes);
        userNames = Map.copyOf(userNames);
    }

    private static List<Process> sortedByPid(List<Process> processes) {
        for (int i = 1; i < processes.size(); i++) {
            if (processes.get(i - 1).pid() >= processes.get(i).pid()) {
                return processes.stream().sorted((a, b) -> Integer.compare(a.pid(), b.pid())).toList();
            }
        }
        return List.copyOf(processes);
    }

    /** Time a CPU (or all of them) spent in each state, in any one unit; guest time is already inside user and nice. */
    public record CpuTimes(long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal) {
        public static final CpuTimes ZERO = new CpuTimes(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Bytes. available is MemAvailable; cached is what free shows as buff/cache. */
    public record Memory(long total, long available, long cached, long swapTotal, long swapFree) {}

    /** A mounted filesystem before filtering: used counts like df (blocks − bfree). */
    public record Filesystem(String mount, String device, String type, long total, long used) {}

    /** Bytes read and written since boot by one block device. */
    public record BlockDevice(String name, long readBytes, long writtenBytes) {}

    /** Bytes received and sent since the interface appeared. */
    public record NetInterface(String name, boolean loopback, long rxBytes, long txBytes) {}

    /**
     * One process. startTime only tells a reused pid from the same process.
     *
     * @param cpuMillis user + system time, all threads
     * @param uid       -1 when the source did not report it
     * @param command   the raw command line (NULs between arguments), null when the source did not read it
     * @param readBytes  /proc/[pid]/io read_bytes (storage reads, since start), −1 when not read
     * @param writeBytes /proc/[pid]/io write_bytes, −1 when not read
     */
    public record Process(int pid, long startTime, String name, long cpuMillis, long rss, int uid, String command,
                          long readBytes, long writeBytes) {
        /** Disk I/O counters not read with the sample (−1): the local collector reads them for the top only. */
        public Process(int pid, long startTime, String name, long cpuMillis, long rss, int uid, String command) {
            this(pid, startTime, name, cpuMillis, rss, uid, command, -1, -1);
        }
    }
}
