package dev.flick.collector;

import java.util.HashMap;
import java.util.Map;
import oshi.SystemInfo;
import oshi.software.os.OperatingSystem;

/**
 * The local collector: samples the machine it runs on. Its readers and the previous sample live as long as it does,
 * so each call reads counters once and diffs them against the last call. On Linux the counters come straight from
 * /proc through the SSH path's own parsers (OSHI's per-process and per-mount refreshes cost too much at one poll a
 * second); elsewhere from OSHI. Either way {@link ProcSnapshotCalculator} does the arithmetic.
 */
public final class OshiCollector implements SnapshotSource {

    private final CounterReader counters;
    private final ProcSnapshotCalculator calculator;

    public OshiCollector() {
        this("local");
    }

    public OshiCollector(String serverId) {
        // Deciding by os.name keeps OSHI and its native library out of a Linux process altogether.
        this(serverId, isLinux() ? new LinuxCounters() : new OshiCounters(new SystemInfo()));
    }

    OshiCollector(String serverId, CounterReader counters) {
        this.counters = counters;
        this.calculator = new ProcSnapshotCalculator(serverId, counters.details());
        // A baseline now, so the first sample() already reports rates over the time since construction.
        calculator.next(counters.read());
    }

    static boolean isLinux() {
        return System.getProperty("os.name", "").equals("Linux") && new java.io.File("/proc/stat").canRead();
    }

    @Override
    public synchronized Snapshot sample() {
        return calculator.next(counters.read());
    }

    @Override
    public HostInfo hostInfo() {
        if (counters instanceof LinuxCounters) {
            ProcReader reader = new ProcReader();
            Map<String, String> files = new HashMap<>();
            for (String path : ProcHostInfo.FILES) {
                String text = reader.read(path);
                if (text != null) files.put(path, text);
            }
            return ProcHostInfo.fromFiles(files);
        }
        SystemInfo system = new SystemInfo();
        OperatingSystem os = system.getOperatingSystem();
        var hardware = system.getHardware();
        return new HostInfo(os.getNetworkParams().getHostName(), os.getFamily() + " " + os.getVersionInfo().getVersion(),
                os.getVersionInfo().getBuildNumber(), hardware.getProcessor().getProcessorIdentifier().getName(),
                hardware.getProcessor().getLogicalProcessorCount(), hardware.getMemory().getTotal(), os.getSystemUptime());
    }
}
