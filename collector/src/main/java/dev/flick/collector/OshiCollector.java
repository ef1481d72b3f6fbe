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
    /** Sensors, GPUs, S.M.A.R.T., systemd units (Linux only); null when off. */
    private final Inventory inventory;

    public OshiCollector() {
        this("local");
    }

    /** With the host inventory as FLICK_INVENTORY, FLICK_SMART_INTERVAL… say ({@link InventorySettings}). */
    public OshiCollector(String serverId) {
        this(serverId, InventorySettings.fromEnvironment(System.getenv()));
    }

    public OshiCollector(String serverId, InventorySettings inventory) {
        // Deciding by os.name keeps OSHI and its native library out of a Linux process altogether.
        this(serverId, isLinux() ? new LinuxCounters() : new OshiCounters(new SystemInfo()),
                isLinux() && inventory.enabled() ? new Inventory(inventory) : null);
    }

    OshiCollector(String serverId, CounterReader counters) {
        this(serverId, counters, null);
    }

    OshiCollector(String serverId, CounterReader counters, Inventory inventory) {
        this.inventory = inventory;
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
        Snapshot s = calculator.next(counters.read());
        return inventory == null ? s : inventory.attach(s);
    }

    @Override
    public void close() {
        if (inventory != null) inventory.close();
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
