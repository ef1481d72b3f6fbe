package dev.flick.collector;

import dev.flick.collector.ProcSample.Filesystem;
import dev.flick.collector.ProcSample.Process;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the local Linux machine straight from /proc, through the same parsers as the SSH path. OSHI reads several
 * files per process and rescans every mount to refresh one, which costs a core far more than a one-second poll may
 * (measured: about 5 ms for 90 processes and 8 ms for two mounts per call); this reads one file per process and
 * asks statvfs once per real mount.
 */
final class LinuxCounters implements CounterReader {

    /** Mounts change rarely; the table is re-read every this many samples. */
    private static final int MOUNT_REFRESH = 10;

    private final ProcReader reader = new ProcReader();
    private final LocalProcessDetails details = new LocalProcessDetails();
    private final File proc = new File("/proc");
    private List<MountedStore> stores = List.of();
    private int samples;

    private record MountedStore(ProcFiles.Mount mount, FileStore store) {}

    @Override
    public ProcSample read() {
        long clock = System.nanoTime();
        long ts = System.currentTimeMillis();
        ProcFiles.CpuStat cpu = ProcFiles.stat(required("/proc/stat"));
        double[] load = ProcFiles.loadavg(required("/proc/loadavg"));
        ProcSample.Memory memory = ProcFiles.meminfo(required("/proc/meminfo"));
        var disks = ProcFiles.diskstats(optional("/proc/diskstats"));
        var interfaces = ProcFiles.netdev(optional("/proc/net/dev"));
        var filesystems = filesystems();
        var processes = processes();
        reader.endSample();
        return new ProcSample(ts, clock, cpu.total(), cpu.cores(), load[0], load[1], load[2], memory,
                filesystems, disks, interfaces, processes, Map.of());
    }

    @Override
    public ProcessDetails details() {
        return details;
    }

    private List<Filesystem> filesystems() {
        if (samples++ % MOUNT_REFRESH == 0) stores = mountedStores();
        List<Filesystem> filesystems = new ArrayList<>(stores.size());
        for (MountedStore s : stores) {
            try {
                // df's Used is (blocks − bfree) × frsize: total minus unallocated, not minus what a user may still write.
                long total = s.store().getTotalSpace();
                long used = total - s.store().getUnallocatedSpace();
                filesystems.add(new Filesystem(s.mount().mount(), s.mount().device(), s.mount().type(), total, used));
            } catch (IOException e) {
                // Unmounted since the table was read: it drops out until the next refresh.
            }
        }
        return filesystems;
    }

    /**
     * Candidate mounts, one per device (the shortest mount point, as the calculator would keep anyway), so a node
     * with a device bind-mounted a hundred times still asks statvfs once. Stores of mounts seen before are kept.
     */
    private List<MountedStore> mountedStores() {
        Map<String, ProcFiles.Mount> byDevice = new LinkedHashMap<>();
        for (ProcFiles.Mount m : ProcFiles.mounts(optional("/proc/mounts"))) {
            if (!RealFilesystems.isCandidate(m.device(), m.type())) continue;
            byDevice.merge(m.device(), m, (kept, other) -> other.mount().length() < kept.mount().length() ? other : kept);
        }
        // Keyed by a string, not the Mount record: a record's hashCode is bootstrapped through method handles the
        // first time, which costs a JVM without a class-data archive megabytes (the agent's footprint, PERFORMANCE.md).
        Map<String, FileStore> known = new HashMap<>();
        for (MountedStore s : stores) known.put(key(s.mount()), s.store());
        List<MountedStore> found = new ArrayList<>(byDevice.size());
        for (ProcFiles.Mount m : byDevice.values()) {
            try {
                FileStore store = known.get(key(m));
                found.add(new MountedStore(m, store != null ? store : Files.getFileStore(Path.of(m.mount()))));
            } catch (IOException | RuntimeException e) {
                // Not ours to read (another user's FUSE mount) or gone: not a disk we can report.
            }
        }
        return List.copyOf(found);
    }

    private static String key(ProcFiles.Mount m) {
        return m.device() + '\n' + m.mount() + '\n' + m.type();
    }

    private List<Process> processes() {
        String[] entries = proc.list();
        if (entries == null) return List.of();
        List<Process> processes = new ArrayList<>(entries.length);
        for (String entry : entries) {
            if (entry.isEmpty() || entry.charAt(0) < '0' || entry.charAt(0) > '9') continue;
            String stat = reader.readKept("/proc/" + entry + "/stat");
            if (stat == null) continue;
            // Only the kernel's final newline ends the line: a process name may hold newlines of its own.
            int end = stat.endsWith("\n") ? stat.length() - 1 : stat.length();
            Process p = ProcFiles.process(stat, 0, end, -1, null);
            if (p != null) processes.add(p);
        }
        return processes;
    }

    private String required(String path) {
        String text = reader.readKept(path);
        if (text == null) throw new IllegalStateException("cannot read " + path);
        return text;
    }

    private String optional(String path) {
        String text = reader.readKept(path);
        return text == null ? "" : text;
    }
}
