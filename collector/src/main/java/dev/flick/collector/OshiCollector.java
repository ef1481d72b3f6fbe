package dev.flick.collector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.flick.collector.containers.ContainerCollector;
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
    /** The host's container engine, looked for again every 30 s while there is none. */
    private ContainerCollector containers;
    private long lookForEngineAt;
    private java.nio.file.Path engineSocket;

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

    /** With the container engine at {@code engineSocket} (null: look in the usual places, {@code DOCKER_HOST} first). */
    public OshiCollector(String serverId, java.nio.file.Path engineSocket) {
        this(serverId);
        this.engineSocket = engineSocket;
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
        Snapshot withInventory = inventory == null ? s : inventory.attach(s);
        List<Snapshot.Container> list = containers();
        return list == null ? withInventory : withInventory.withContainers(list);
    }

    /** null when this host has no engine we can reach (the snapshot then has no containers section). */
    private List<Snapshot.Container> containers() {
        long now = System.nanoTime();
        if (containers == null && now - lookForEngineAt >= 0) {
            containers = engineSocket == null ? ContainerCollector.local() : ContainerCollector.at(engineSocket);
            lookForEngineAt = now + 30_000_000_000L;
        }
        return containers == null ? null : containers.sample();
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
