package dev.flick.collector.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A container's counters read straight from the kernel through its main process: {@code /proc/<pid>/cgroup} names
 * its cgroup (v2, or v1's cpuacct, memory, pids and blkio hierarchies on hybrid hosts), whose files give CPU time,
 * memory, pids and block I/O; {@code /proc/<pid>/net/dev} is read inside its network namespace. A handful of small
 * reads instead of an engine stats request (which makes Docker wait a second for its own CPU sample).
 */
final class Cgroups {

    /** Unlimited in cgroup v1 is the largest page-aligned long; anything this large is no limit. */
    private static final long NO_LIMIT = 1L << 60;

    private final Path proc;
    private final Path sys;
    private final boolean unified;
    /**
     * Where each main pid's counters are, found once: a process never changes cgroup here, and finding them costs a
     * read of /proc/<pid>/cgroup and a stat per v1 controller, most of a container's sample (docs/PERFORMANCE.md).
     * Entries of gone pids are dropped on their first failed read, and all at once past {@link #MAX_KEPT}.
     */
    private final Map<Integer, Located> located = new HashMap<>();
    private static final int MAX_KEPT = 1_024;

    /** The files of one cgroup: v2's directory, or v1's controller directories; a null file is not there. */
    private static final class Located {
        Path dir; // v2
        Path io; // v2 io.stat, or v1's blkio file
        Path cpuacct, memory, pids; // v1
    }

    Cgroups() {
        this(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    Cgroups(Path proc, Path sys) {
        this.proc = proc;
        this.sys = sys;
        this.unified = Files.exists(sys.resolve("cgroup.controllers"));
    }

    /** Whether this host's /proc and cgroup tree can be read at all. */
    boolean available() {
        return Files.isReadable(proc.resolve("self/cgroup")) && Files.isDirectory(sys);
    }

    /** The counters of the container whose main process is {@code pid}, or null when they cannot be read. */
    Counters read(int pid) {
        if (pid <= 0) return null;
        try {
            Path base = proc.resolve(Integer.toString(pid));
            Integer key = pid;
            Located at = located.get(key);
            if (at == null) {
                String cgroup = Files.readString(base.resolve("cgroup"));
                at = unified ? locate2(cgroup) : locate1(cgroup);
                if (at == null) return null;
                if (located.size() >= MAX_KEPT) located.clear();
                located.put(key, at);
            }
            long[] net = netDev(Files.readString(base.resolve("net/dev")));
            Counters c = unified ? v2(at, net) : v1(at, net);
            if (c == null) located.remove(key);
            return c;
        } catch (IOException | RuntimeException e) {
            located.remove(pid); // gone, or its container restarted with another pid: found again next time
            return null;
        }
    }

    private Located locate2(String cgroup) {
        String path = null;
        for (String line : cgroup.split("\n")) if (line.startsWith("0::")) path = line.substring(3);
        if (path == null) return null;
        Located at = new Located();
        at.dir = sys.resolve(path.substring(1));
        Path io = at.dir.resolve("io.stat");
        at.io = Files.isReadable(io) ? io : null;
        return at;
    }

    private Located locate1(String cgroup) {
        Map<String, Path> dirs = new HashMap<>();
        for (String line : cgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3 || f[1].isEmpty()) continue;
            for (String controller : f[1].split(",")) {
                Path mount = sys.resolve(f[1]);
                if (!Files.isDirectory(mount)) mount = sys.resolve(controller);
                dirs.put(controller, mount.resolve(f[2].substring(1)));
            }
        }
        Located at = new Located();
        at.cpuacct = dirs.get("cpuacct");
        at.memory = dirs.get("memory");
        if (at.cpuacct == null || at.memory == null) return null;
        at.pids = dirs.get("pids");
        Path blkio = dirs.get("blkio");
        if (blkio != null) {
            Path file = blkio.resolve("blkio.throttle.io_service_bytes_recursive");
            if (!Files.isReadable(file)) file = blkio.resolve("blkio.throttle.io_service_bytes");
            at.io = Files.isReadable(file) ? file : null;
        }
        return at;
    }

    private Counters v2(Located at, long[] net) throws IOException {
        Path dir = at.dir;
        long cpu = keyed(Files.readString(dir.resolve("cpu.stat")), "usage_usec") * 1000;
        long memory = Math.max(0, number(dir.resolve("memory.current"))
                - keyed(Files.readString(dir.resolve("memory.stat")), "inactive_file"));
        String max = Files.readString(dir.resolve("memory.max")).trim();
        long limit = max.equals("max") ? 0 : Long.parseLong(max);
        long read = 0, write = 0;
        Path io = at.io;
        if (io != null) {
            for (String line : Files.readString(io).split("\n")) {
                for (String field : line.split(" ")) {
                    if (field.startsWith("rbytes=")) read += Long.parseLong(field.substring(7));
                    else if (field.startsWith("wbytes=")) write += Long.parseLong(field.substring(7));
                }
            }
        }
        return new Counters(cpu, memory, limit, net[0], net[1], read, write, (int) optional(dir.resolve("pids.current")));
    }

    private Counters v1(Located at, long[] net) throws IOException {
        Path cpuacct = at.cpuacct, memory = at.memory;
        long cpu = number(cpuacct.resolve("cpuacct.usage"));
        long used = Math.max(0, number(memory.resolve("memory.usage_in_bytes"))
                - keyed(Files.readString(memory.resolve("memory.stat")), "total_inactive_file"));
        long limit = number(memory.resolve("memory.limit_in_bytes"));
        long read = 0, write = 0;
        if (at.io != null) {
            for (String line : Files.readString(at.io).split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length != 3) continue;
                if (f[1].equals("Read")) read += Long.parseLong(f[2]);
                else if (f[1].equals("Write")) write += Long.parseLong(f[2]);
            }
        }
        Path pids = at.pids;
        return new Counters(cpu, used, limit >= NO_LIMIT ? 0 : limit, net[0], net[1], read, write,
                pids == null ? 0 : (int) optional(pids.resolve("pids.current")));
    }

    /** rx and tx bytes over the namespace's interfaces, loopback left out. */
    static long[] netDev(String text) {
        long rx = 0, tx = 0;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String name = line.substring(0, colon).trim();
            if (name.equals("lo")) continue;
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 9) continue;
            rx += Long.parseLong(f[0]);
            tx += Long.parseLong(f[8]);
        }
        return new long[] {rx, tx};
    }

    /** The value of a "key value" line, or 0. */
    static long keyed(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + " ")) return Long.parseLong(line.substring(key.length() + 1).trim());
        }
        return 0;
    }

    private static long number(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }

    private static long optional(Path file) {
        try {
            return number(file);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
