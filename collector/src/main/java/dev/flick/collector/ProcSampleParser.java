package dev.flick.collector;

import dev.flick.collector.ProcSample.Process;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the blocks {@link ProcScript#sampler} and {@link ProcScript#bashSampler} print into {@link ProcSample}s. Markers
 * carry the session's nonce so that nothing a process on the target writes into its name or command line can pass for
 * a marker.
 *
 * <p>One parser per session, fed the blocks in order: a {@code @@details} block (the bash sampler) describes only the
 * processes that are new, and may leave out {@code @@df}, so the parser remembers each process's user and command
 * line (for as long as the pid keeps its start time and name) and the last filesystems.
 */
public final class ProcSampleParser {

    /** A block is a few hundred bytes per process; anything near this is not our script talking. */
    static final int MAX_BLOCK_CHARS = 16 << 20;
    /** A process name is at most 15 bytes, so it can split its stat line into only so many pieces. */
    private static final int MAX_NAME_LINES = 16;

    private final String nonce;
    private final String startMarker;
    private final String endMarker;
    /** pid → what a details line said, while the process it described lives. */
    private final Map<Integer, Described> described = new HashMap<>();
    private List<ProcSample.Filesystem> lastFilesystems = List.of();
    /** The slow sections come every so many blocks; between them the last ones stand. */
    private List<Snapshot.Gpu> lastNvidia;
    private Snapshot.Services lastServices;
    private Snapshot.DiskHealth lastDiskHealth;

    /** A details line, pinned to the process it was printed for: a reused pid or an exec does not inherit it. */
    private record Described(long startTime, String name, int uid, String command) {}

    private final java.util.Set<String> watchedUnits;

    public ProcSampleParser(String nonce) {
        this(nonce, java.util.Set.of());
    }

    /** watchedUnits: systemd units whose state the services section reports on its own (a setting). */
    public ProcSampleParser(String nonce, java.util.Set<String> watchedUnits) {
        this.watchedUnits = java.util.Set.copyOf(watchedUnits);
        this.nonce = ProcScript.checkNonce(nonce);
        this.startMarker = "@@flick-sample " + nonce;
        this.endMarker = "@@end " + nonce;
    }

    /**
     * Reads up to and including the next block's end marker, skipping anything before its start marker.
     *
     * @return the block, or null when the stream ends between blocks
     * @throws MalformedSampleException when the stream ends inside a block or a block grows past all reason
     */
    public String nextBlock(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) return null;
        } while (!line.equals(startMarker));
        StringBuilder block = new StringBuilder(64 * 1024).append(line).append('\n');
        while ((line = in.readLine()) != null) {
            block.append(line).append('\n');
            if (line.equals(endMarker)) return block.toString();
            if (block.length() > MAX_BLOCK_CHARS) throw new MalformedSampleException("sample block exceeds " + MAX_BLOCK_CHARS + " characters");
        }
        throw new MalformedSampleException("stream ended inside a sample block (" + block.length() + " characters read)");
    }

    /**
     * Parses one whole block.
     *
     * @param ts epoch milliseconds to stamp on the sample (the target's clock is not trusted to agree with ours)
     * @throws MalformedSampleException when the block is truncated, lacks a section or holds garbage where numbers go
     */
    public ProcSample parse(String block, long ts) {
        Map<String, int[]> sections = sections(block);
        boolean lean = sections.containsKey("details");
        for (String required : lean ? new String[] {"proc", "procs"} : new String[] {"proc", "df", "procs", "owners", "cmdline"}) {
            if (!sections.containsKey(required)) throw new MalformedSampleException("sample block lacks section @@" + required);
        }
        Map<String, String> files = new HashMap<>();
        int[] proc = sections.get("proc");
        for (HeadOutput.File file : HeadOutput.split(block, proc[0], proc[1])) {
            if (files.put(file.path(), file.content()) != null) throw new MalformedSampleException("@@proc repeats " + file.path());
        }
        long clock = ProcFiles.uptimeNanos(required(files, "/proc/uptime"));
        double[] load = ProcFiles.loadavg(required(files, "/proc/loadavg"));
        ProcFiles.CpuStat cpu = ProcFiles.stat(required(files, "/proc/stat"));
        var memory = ProcFiles.meminfo(required(files, "/proc/meminfo"));
        var disks = ProcFiles.diskstats(files.getOrDefault("/proc/diskstats", ""));
        var interfaces = ProcFiles.netdev(files.getOrDefault("/proc/net/dev", ""));
        int[] df = sections.get("df");
        var filesystems = df == null ? lastFilesystems : ProcFiles.df(text(block, df));
        List<Process> processes;
        if (lean) {
            processes = describe(processes(block, sections.get("procs"), Map.of(), Map.of()), details(block, sections.get("details")));
        } else {
            Map<Integer, Integer> owners = ProcFiles.owners(text(block, sections.get("owners")));
            Map<Integer, String> commands = commands(block, sections.get("cmdline"));
            processes = processes(block, sections.get("procs"), owners, commands);
        }
        int[] passwd = sections.get("passwd");
        Map<Integer, String> userNames = passwd == null ? Map.of() : ProcFiles.passwd(text(block, passwd));
        lastFilesystems = filesystems;
        int[] io = sections.get("io");
        if (io != null) processes = withIo(processes, text(block, io));
        return new ProcSample(ts, clock, cpu.total(), cpu.cores(), load[0], load[1], load[2], memory,
                filesystems, disks, interfaces, processes, userNames, inventory(block, sections, ts));
    }

    /** Adds "pid read_bytes write_bytes" lines to the processes they name; a pid given twice gets neither. */
    private static List<Process> withIo(List<Process> processes, String text) {
        Map<Integer, long[]> io = new HashMap<>();
        List<Integer> twice = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            if (f.length != 3) continue;
            int pid = ProcFiles.parsePid(f[0], 0, f[0].length());
            long read = count(f[1]), write = count(f[2]);
            if (pid <= 0 || read < 0 || write < 0) continue;
            if (io.put(pid, new long[] {read, write}) != null) twice.add(pid);
        }
        twice.forEach(io::remove);
        List<Process> out = new ArrayList<>(processes.size());
        for (Process p : processes) {
            long[] c = io.get(p.pid());
            out.add(c == null ? p : new Process(p.pid(), p.startTime(), p.name(), p.cpuMillis(), p.rss(), p.uid(), p.command(), c[0], c[1]));
        }
        return out;
    }

    private static long count(String s) {
        if (s.isEmpty() || s.length() > 18) return -1;
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return -1;
        return Long.parseLong(s);
    }

    /** The optional host-inventory sections; the slow ones keep their last value between the blocks that carry them. */
    private ProcSample.Sections inventory(String block, Map<String, int[]> sections, long ts) {
        int[] sysfs = sections.get("sysfs");
        List<Snapshot.Sensor> sensors = null;
        List<Snapshot.Gpu> gpus = null;
        if (sysfs != null) {
            Map<String, String> files = new HashMap<>();
            for (String line : text(block, sysfs).split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0 && line.startsWith("/sys/class/")) files.put(line.substring(0, space), line.substring(space + 1));
            }
            boolean any = false;
            for (String path : files.keySet()) any |= path.startsWith(SysfsInventory.HWMON) || path.startsWith(SysfsInventory.THERMAL);
            if (any) sensors = SysfsInventory.sensors(files);
            int[] nvidia = sections.get("nvidia");
            if (nvidia != null) lastNvidia = NvidiaSmi.parse(text(block, nvidia));
            List<Snapshot.Gpu> all = new ArrayList<>(lastNvidia == null ? List.of() : lastNvidia);
            all.addAll(SysfsInventory.gpus(files, all.isEmpty()));
            gpus = all.isEmpty() ? null : List.copyOf(all);
        }
        int[] units = sections.get("units");
        if (units != null) lastServices = services(text(block, units));
        int[] smart = sections.get("smart");
        if (smart != null) lastDiskHealth = diskHealth(text(block, smart), ts);
        return new ProcSample.Sections(sensors, gpus, lastDiskHealth, lastServices);
    }

    private Snapshot.Services services(String text) {
        String t = text.strip();
        if (t.isEmpty()) return null;
        try {
            return SystemdUnits.summarize(t.startsWith("[") ? SystemdUnits.parseJson(t) : SystemdUnits.parsePlain(t), watchedUnits);
        } catch (MalformedSampleException e) {
            return null;
        }
    }

    /** smartctl's outputs framed by "#flick-smart NONCE scan|drive DEV|none" lines, run through the local collector's logic. */
    private Snapshot.DiskHealth diskHealth(String text, long ts) {
        String frame = "#flick-smart " + nonce + " ";
        Map<String, String> outputs = new HashMap<>();
        String open = null;
        StringBuilder body = new StringBuilder();
        for (String line : (text + frame + "end\n").split("\n")) {
            if (!line.startsWith(frame)) {
                body.append(line).append('\n');
                continue;
            }
            if (open != null) outputs.put(open, body.toString());
            body.setLength(0);
            open = line.substring(frame.length());
        }
        if (outputs.containsKey("none")) return new Snapshot.DiskHealth(Snapshot.SmartUnavailable.NO_SMARTCTL, ts, List.of());
        String scan = outputs.get("scan");
        if (scan == null) return lastDiskHealth;
        // The same decisions as on a local host; exit statuses are read from the JSON itself.
        return Inventory.diskHealth((command, timeout) -> {
            String out = command.equals(Smartctl.SCAN) ? scan : outputs.get("drive " + command.getLast());
            if (out == null) return null;
            long exit;
            try {
                exit = JsonReader.whole(JsonReader.parse(out), "smartctl", "exit_status");
            } catch (MalformedSampleException e) {
                exit = -1;
            }
            return new Inventory.Commands.Result((int) exit, out);
        }, ts);
    }

    /**
     * Joins this block's processes with what details lines said about them, now or earlier. A description counts only
     * for the same start time and name it was printed with; descriptions of processes that are gone are forgotten.
     */
    private List<Process> describe(List<Process> parsed, Map<Integer, String[]> fresh) {
        List<Process> processes = new ArrayList<>(parsed.size());
        Map<Integer, Described> alive = new HashMap<>(Math.max(16, parsed.size() * 2));
        for (Process p : parsed) {
            String[] line = fresh.get(p.pid());
            Described d = line != null ? new Described(p.startTime(), p.name(), ProcFiles.parsePid(line[0], 0, line[0].length()), line[1])
                    : described.get(p.pid());
            if (d != null && (d.startTime() != p.startTime() || !d.name().equals(p.name()))) d = null;
            if (d != null) alive.put(p.pid(), d);
            processes.add(d == null ? p : new Process(p.pid(), p.startTime(), p.name(), p.cpuMillis(), p.rss(), d.uid(), d.command(),
                    p.readBytes(), p.writeBytes()));
        }
        described.clear();
        described.putAll(alive);
        return processes;
    }

    /**
     * pid → [uid, command] from "pid uid command" lines. The sampler blanks newlines in command lines, so each line is
     * one process; a pid given twice is not trusted and gets neither.
     */
    private static Map<Integer, String[]> details(String block, int[] range) {
        Map<Integer, String[]> details = new HashMap<>();
        List<Integer> twice = new ArrayList<>();
        for (int start = range[0], end; start < range[1]; start = end + 1) {
            end = Math.min(ProcFiles.lineEnd(block, start), range[1]);
            int first = block.indexOf(' ', start);
            int second = first < 0 || first >= end ? -1 : block.indexOf(' ', first + 1);
            if (second < 0 || second > end) continue;
            int pid = ProcFiles.parsePid(block, start, first);
            if (pid <= 0) continue;
            String uid = block.substring(first + 1, second);
            if (details.put(pid, new String[] {uid, block.substring(second + 1, end)}) != null) twice.add(pid);
        }
        twice.forEach(details::remove);
        return details;
    }

    /** Section name → [content start, content end). The block must open with the start marker and close with the end one. */
    private Map<String, int[]> sections(String block) {
        if (!block.startsWith(startMarker + "\n")) throw new MalformedSampleException("sample block does not start with " + startMarker);
        Map<String, int[]> sections = new HashMap<>();
        String open = null;
        int contentStart = 0;
        for (int start = 0, end; start < block.length(); start = end + 1) {
            end = ProcFiles.lineEnd(block, start);
            if (!isMarker(block, start, end)) continue;
            String name = block.substring(start + 2, end - nonce.length() - 1);
            if (open != null && sections.put(open, new int[] {contentStart, start}) != null) {
                throw new MalformedSampleException("sample block repeats section @@" + open);
            }
            if (name.equals("end")) return sections;
            open = name;
            contentStart = Math.min(end + 1, block.length());
        }
        throw new MalformedSampleException("sample block is truncated: no " + endMarker);
    }

    private boolean isMarker(String block, int start, int end) {
        return end - start > nonce.length() + 3 && block.startsWith("@@", start)
                && block.charAt(end - nonce.length() - 1) == ' ' && block.startsWith(nonce, end - nonce.length());
    }

    private static List<Process> processes(String block, int[] range, Map<Integer, Integer> owners, Map<Integer, String> commands) {
        List<Process> processes = new ArrayList<>(Math.max(16, (range[1] - range[0]) / 200));
        for (int start = range[0], end; start < range[1]; start = end + 1) {
            end = Math.min(ProcFiles.lineEnd(block, start), range[1]);
            if (end == start) continue;
            int pid = pidPrefix(block, start, end);
            if (pid <= 0) continue;
            int uid = owners.getOrDefault(pid, -1);
            String command = commands.get(pid);
            Process p = ProcFiles.process(block, start, end, uid, command);
            // A name holding newlines splits its line: widen it until it parses or the name could not be that long.
            int joined = end;
            for (int extra = 0; p == null && extra < MAX_NAME_LINES && joined < range[1]; extra++) {
                joined = Math.min(ProcFiles.lineEnd(block, joined + 1), range[1]);
                p = ProcFiles.process(block, start, joined, uid, command);
            }
            if (p != null) {
                processes.add(p);
                end = joined;
            }
        }
        return processes;
    }

    private static int pidPrefix(String block, int start, int end) {
        int open = block.indexOf(" (", start);
        return open < 0 || open > end ? -1 : ProcFiles.parsePid(block, start, open);
    }

    /**
     * pid → raw command line. A command line may forge a head header for another pid; such a pid then has two
     * entries and gets none, so forging can blank another command but never replace it.
     */
    private static Map<Integer, String> commands(String block, int[] range) {
        Map<Integer, String> commands = new HashMap<>();
        List<Integer> forged = new ArrayList<>();
        for (HeadOutput.File file : HeadOutput.split(block, range[0], range[1])) {
            String path = file.path();
            if (!path.startsWith("/proc/") || !path.endsWith("/cmdline")) continue;
            int pid = ProcFiles.parsePid(path, 6, path.length() - 8);
            if (pid > 0 && commands.put(pid, file.content()) != null) forged.add(pid);
        }
        forged.forEach(commands::remove);
        return commands;
    }

    private static String required(Map<String, String> files, String path) {
        String content = files.get(path);
        if (content == null) throw new MalformedSampleException("@@proc lacks " + path);
        return content;
    }

    private static String text(String block, int[] range) {
        return block.substring(range[0], range[1]);
    }
}
