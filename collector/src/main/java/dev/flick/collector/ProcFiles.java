package dev.flick.collector;

import dev.flick.collector.ProcSample.BlockDevice;
import dev.flick.collector.ProcSample.CpuTimes;
import dev.flick.collector.ProcSample.Filesystem;
import dev.flick.collector.ProcSample.Memory;
import dev.flick.collector.ProcSample.NetInterface;
import dev.flick.collector.ProcSample.Process;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the text of each /proc file (and of df, ls -ln, /etc/passwd) into counters. Shared by the SSH parser and the
 * local Linux reader so that both see a machine through the same code.
 */
final class ProcFiles {

    /** USER_HZ: the unit of /proc/[pid]/stat times on every mainstream Linux build. */
    static final long CLOCK_TICKS_PER_SECOND = 100;
    /** Page size for rss; 4 KiB on x86 and almost every arm64 distribution kernel. */
    static final long PAGE_SIZE = 4096;
    /** /proc/diskstats counts 512-byte sectors whatever the device's real sector size. */
    private static final long SECTOR = 512;

    private ProcFiles() {}

    /** /proc/uptime: seconds since boot, with centiseconds. */
    static long uptimeNanos(String text) {
        Tokens t = Tokens.of(firstLine(text, "/proc/uptime"));
        return Math.round(t.nextDouble() * 1e9);
    }

    static double[] loadavg(String text) {
        Tokens t = Tokens.of(firstLine(text, "/proc/loadavg"));
        return new double[] {t.nextDouble(), t.nextDouble(), t.nextDouble()};
    }

    record CpuStat(CpuTimes total, List<CpuTimes> cores) {}

    static CpuStat stat(String text) {
        CpuTimes total = null;
        List<CpuTimes> cores = new ArrayList<>();
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = lineEnd(text, start);
            if (!text.startsWith("cpu", start)) continue;
            Tokens t = new Tokens(text, start, end);
            String label = t.next();
            CpuTimes times = new CpuTimes(t.nextLong(), t.nextLong(), t.nextLong(), t.nextLong(),
                    t.nextLongOrZero(), t.nextLongOrZero(), t.nextLongOrZero(), t.nextLongOrZero());
            if (label.equals("cpu")) total = times;
            else cores.add(times);
        }
        if (total == null) throw new MalformedSampleException("/proc/stat has no cpu line");
        return new CpuStat(total, cores);
    }

    static Memory meminfo(String text) {
        long total = -1, available = -1, free = 0, buffers = 0, cached = 0, reclaimable = 0, swapTotal = 0, swapFree = 0;
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = lineEnd(text, start);
            int colon = text.indexOf(':', start);
            if (colon < 0 || colon > end) continue;
            switch (text.substring(start, colon)) {
                case "MemTotal" -> total = kib(text, colon, end);
                case "MemAvailable" -> available = kib(text, colon, end);
                case "MemFree" -> free = kib(text, colon, end);
                case "Buffers" -> buffers = kib(text, colon, end);
                case "Cached" -> cached = kib(text, colon, end);
                case "SReclaimable" -> reclaimable = kib(text, colon, end);
                case "SwapTotal" -> swapTotal = kib(text, colon, end);
                case "SwapFree" -> swapFree = kib(text, colon, end);
                default -> { }
            }
        }
        if (total < 0) throw new MalformedSampleException("/proc/meminfo has no MemTotal");
        // Kernels before 3.14 have no MemAvailable; free + buffers + cache is what tools showed then.
        if (available < 0) available = free + buffers + cached;
        return new Memory(total, available, buffers + cached + reclaimable, swapTotal, swapFree);
    }

    private static long kib(String text, int colon, int end) {
        return new Tokens(text, colon + 1, end).nextLong() * 1024;
    }

    static List<BlockDevice> diskstats(String text) {
        List<BlockDevice> devices = new ArrayList<>();
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = lineEnd(text, start);
            Tokens t = new Tokens(text, start, end);
            if (!t.hasNext()) continue;
            t.skip(2);
            String name = t.next();
            t.skip(2);
            long sectorsRead = t.nextLong();
            t.skip(3);
            long sectorsWritten = t.nextLong();
            devices.add(new BlockDevice(name, sectorsRead * SECTOR, sectorsWritten * SECTOR));
        }
        return devices;
    }

    static List<NetInterface> netdev(String text) {
        List<NetInterface> interfaces = new ArrayList<>();
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = lineEnd(text, start);
            int colon = text.indexOf(':', start);
            // The two header lines have '|' and no ':'; names cannot hold ':' or spaces.
            if (colon < 0 || colon > end) continue;
            String name = text.substring(start, colon).strip();
            Tokens t = new Tokens(text, colon + 1, end);
            long rx = t.nextLong();
            t.skip(7);
            long tx = t.nextLong();
            interfaces.add(new NetInterface(name, name.equals("lo"), rx, tx));
        }
        return interfaces;
    }

    /**
     * One line of /proc/[pid]/stat, or null when it is not one (a process may rename itself to anything, newlines
     * included, so a line can arrive split). The name sits between the first '(' and the last ')'.
     */
    static Process process(String text, int start, int end, int uid, String command) {
        int open = text.indexOf(" (", start);
        int close = text.lastIndexOf(')', end - 1);
        if (open <= start || open > end || close < open) return null;
        int pid = 0;
        for (int i = start; i < open; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return null;
            pid = pid * 10 + (c - '0');
        }
        try {
            Tokens t = new Tokens(text, close + 1, end);
            t.skip(11);
            long utime = t.nextLong();
            long stime = t.nextLong();
            t.skip(6);
            long startTime = t.nextLong();
            t.skip(1);
            long rssPages = t.nextLong();
            String name = text.substring(open + 2, close);
            return new Process(pid, startTime, name, (utime + stime) * 1000 / CLOCK_TICKS_PER_SECOND,
                    Math.max(0, rssPages) * PAGE_SIZE, uid, command);
        } catch (MalformedSampleException e) {
            return null;
        }
    }

    /** {@code df -PT -B1} (or {@code -PTk}): the header says the block size; Used is what df counts as used. */
    static List<Filesystem> df(String text) {
        int headerEnd = lineEnd(text, 0);
        Tokens header = new Tokens(text, 0, headerEnd);
        if (!header.hasNext() || !header.next().equals("Filesystem") || !header.next().equals("Type")) {
            throw new MalformedSampleException("df output lacks its 'Filesystem Type' header");
        }
        String sizeLabel = header.next();
        long unit = switch (sizeLabel) {
            case "1-blocks", "1B-blocks" -> 1;
            case "1024-blocks", "1K-blocks", "1k-blocks" -> 1024;
            default -> throw new MalformedSampleException("df reports in unknown blocks: " + sizeLabel);
        };
        List<Filesystem> filesystems = new ArrayList<>();
        for (int start = headerEnd + 1, end; start < text.length(); start = end + 1) {
            end = lineEnd(text, start);
            Tokens t = new Tokens(text, start, end);
            if (!t.hasNext()) continue;
            // A row df could not lay out (a device name with spaces) costs that row, not the sample.
            try {
                String device = t.next();
                String type = t.next();
                long total = t.nextLong() * unit;
                long used = t.nextLong() * unit;
                t.skip(2);
                String mount = t.rest();
                if (!mount.isEmpty()) filesystems.add(new Filesystem(mount, device, type, total, used));
            } catch (MalformedSampleException e) {
                continue;
            }
        }
        return filesystems;
    }

    /** Mount table lines of /proc/mounts, with the kernel's octal escapes (\040 for a space) undone. */
    record Mount(String device, String mount, String type) {}

    static List<Mount> mounts(String text) {
        List<Mount> mounts = new ArrayList<>();
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = lineEnd(text, start);
            Tokens t = new Tokens(text, start, end);
            if (!t.hasNext()) continue;
            mounts.add(new Mount(unescape(t.next()), unescape(t.next()), t.next()));
        }
        return mounts;
    }

    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) return field;
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field, i + 1, i + 4, 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) return false;
        for (int i = from; i < from + 3; i++) if (s.charAt(i) < '0' || s.charAt(i) > '7') return false;
        return true;
    }

    /** {@code ls -ln /proc}: the owner of /proc/[pid] is the process's effective user. */
    static Map<Integer, Integer> owners(String text) {
        Map<Integer, Integer> uids = new HashMap<>();
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = lineEnd(text, start);
            Tokens t = new Tokens(text, start, end);
            if (!t.hasNext() || text.charAt(start) != 'd') continue;
            t.skip(2);
            long uid;
            try {
                uid = t.nextLong();
            } catch (MalformedSampleException e) {
                continue;
            }
            int nameStart = end;
            while (nameStart > start && text.charAt(nameStart - 1) != ' ') nameStart--;
            int pid = parsePid(text, nameStart, end);
            if (pid > 0) uids.put(pid, (int) uid);
        }
        return uids;
    }

    /** The passwd table (name:x:uid:…), from /etc/passwd or getent. */
    static Map<Integer, String> passwd(String text) {
        Map<Integer, String> names = new HashMap<>();
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = lineEnd(text, start);
            int first = text.indexOf(':', start);
            int second = first < 0 ? -1 : text.indexOf(':', first + 1);
            int third = second < 0 ? -1 : text.indexOf(':', second + 1);
            if (third < 0 || third > end) continue;
            int uid = parsePid(text, second + 1, third);
            if (uid >= 0) names.putIfAbsent(uid, text.substring(start, first));
        }
        return names;
    }

    /** Non-negative decimal in text[from, to), or -1. */
    static int parsePid(String text, int from, int to) {
        if (from >= to || to - from > 10) return -1;
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    static int lineEnd(String text, int start) {
        int end = text.indexOf('\n', start);
        return end < 0 ? text.length() : end;
    }

    private static String firstLine(String text, String file) {
        int end = lineEnd(text, 0);
        if (end == 0) throw new MalformedSampleException(file + " is empty");
        return text.substring(0, end);
    }
}
