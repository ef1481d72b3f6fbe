package dev.flick.collector;

import dev.flick.collector.ProcSample.BlockDevice;
import dev.flick.collector.ProcSample.CpuTimes;
import dev.flick.collector.ProcSample.Filesystem;
import dev.flick.collector.ProcSample.NetInterface;
import dev.flick.collector.ProcSample.Process;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.hardware.VirtualMemory;
import oshi.software.os.OSFileStore;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Reads the machine through OSHI where there is no /proc (macOS, Windows, the BSDs), mapped into the same counters.
 * Disks, interfaces and mounts are enumerated once a minute and only refreshed in between; free space comes from the
 * JDK's statvfs, since OSHI rescans every mount to refresh one. OSHI has no page-cache figure, so cached is 0.
 */
final class OshiCounters implements CounterReader, ProcessDetails {

    private static final long ENUMERATE_EVERY_NANOS = 60_000_000_000L;

    private final OperatingSystem os;
    private final HardwareAbstractionLayer hardware;
    private final CentralProcessor processor;
    private final GlobalMemory memory;
    private List<HWDiskStore> diskStores = List.of();
    private List<NetworkIF> networkIfs = List.of();
    private List<Mounted> mounts = List.of();
    private Map<Integer, OSProcess> lastProcesses = Map.of();
    private long enumeratedAt;

    private record Mounted(OSFileStore oshi, FileStore store) {}

    OshiCounters(SystemInfo system) {
        this.os = system.getOperatingSystem();
        this.hardware = system.getHardware();
        this.processor = hardware.getProcessor();
        this.memory = hardware.getMemory();
        enumerate(System.nanoTime());
    }

    private void enumerate(long now) {
        diskStores = hardware.getDiskStores();
        networkIfs = hardware.getNetworkIFs(true);
        List<Mounted> found = new ArrayList<>();
        for (OSFileStore fs : os.getFileSystem().getFileStores(true)) {
            if (!RealFilesystems.isCandidate(fs.getVolume(), fs.getType())) continue;
            try {
                found.add(new Mounted(fs, Files.getFileStore(Path.of(fs.getMount()))));
            } catch (IOException | RuntimeException e) {
                // Unreadable or gone: not a disk we can report.
            }
        }
        mounts = found;
        enumeratedAt = now;
    }

    @Override
    public ProcSample read() {
        long clock = System.nanoTime();
        if (clock - enumeratedAt > ENUMERATE_EVERY_NANOS) enumerate(clock);
        long ts = System.currentTimeMillis();
        CpuTimes cpu = times(processor.getSystemCpuLoadTicks());
        List<CpuTimes> cores = new ArrayList<>();
        for (long[] ticks : processor.getProcessorCpuLoadTicks()) cores.add(times(ticks));
        double[] load = processor.getSystemLoadAverage(3);
        VirtualMemory swap = memory.getVirtualMemory();
        ProcSample.Memory mem = new ProcSample.Memory(memory.getTotal(), memory.getAvailable(), 0,
                swap.getSwapTotal(), swap.getSwapTotal() - swap.getSwapUsed());
        return new ProcSample(ts, clock, cpu, cores, Math.max(0, load[0]), Math.max(0, load[1]), Math.max(0, load[2]),
                mem, filesystems(), blockDevices(), interfaces(), processes(), Map.of());
    }

    /** OSHI's tick order is /proc/stat's: user, nice, system, idle, iowait, irq, softirq, steal. */
    private static CpuTimes times(long[] t) {
        return new CpuTimes(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
    }

    private List<Filesystem> filesystems() {
        List<Filesystem> filesystems = new ArrayList<>(mounts.size());
        for (Mounted m : mounts) {
            try {
                long total = m.store().getTotalSpace();
                filesystems.add(new Filesystem(m.oshi().getMount(), m.oshi().getVolume(), m.oshi().getType(),
                        total, total - m.store().getUnallocatedSpace()));
            } catch (IOException e) {
                // Unmounted since the last enumeration.
            }
        }
        return filesystems;
    }

    private List<BlockDevice> blockDevices() {
        List<BlockDevice> devices = new ArrayList<>(diskStores.size());
        for (HWDiskStore d : diskStores) {
            d.updateAttributes();
            String name = d.getName().startsWith("/dev/") ? d.getName().substring(5) : d.getName();
            devices.add(new BlockDevice(name, d.getReadBytes(), d.getWriteBytes()));
        }
        return devices;
    }

    private List<NetInterface> interfaces() {
        List<NetInterface> interfaces = new ArrayList<>(networkIfs.size());
        for (NetworkIF n : networkIfs) {
            n.updateAttributes();
            boolean loopback;
            try {
                loopback = n.queryNetworkInterface().isLoopback();
            } catch (java.net.SocketException | RuntimeException e) {
                loopback = n.getName().startsWith("lo");
            }
            interfaces.add(new NetInterface(n.getName(), loopback, n.getBytesRecv(), n.getBytesSent()));
        }
        return interfaces;
    }

    private List<Process> processes() {
        List<OSProcess> all = os.getProcesses();
        Map<Integer, OSProcess> byPid = new HashMap<>(all.size() * 2);
        List<Process> processes = new ArrayList<>(all.size());
        for (OSProcess p : all) {
            byPid.put(p.getProcessID(), p);
            processes.add(new Process(p.getProcessID(), p.getStartTime(), p.getName(),
                    p.getUserTime() + p.getKernelTime(), p.getResidentSetSize(), -1, null));
        }
        lastProcesses = byPid;
        return processes;
    }

    @Override
    public ProcessDetails details() {
        return this;
    }

    @Override
    public String user(Process p) {
        OSProcess o = lastProcesses.get(p.pid());
        return o == null || o.getUser() == null ? "?" : o.getUser();
    }

    @Override
    public String command(Process p) {
        OSProcess o = lastProcesses.get(p.pid());
        return ProcessDetails.display(o == null ? null : o.getCommandLine(), p.name());
    }
}
