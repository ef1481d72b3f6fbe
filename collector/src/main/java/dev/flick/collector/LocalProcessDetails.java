package dev.flick.collector;

import dev.flick.collector.ProcSample.Process;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Users and commands of local processes, read from /proc only for the processes that make the top and kept for as
 * long as the same process (pid and start time) lives.
 */
final class LocalProcessDetails implements ProcessDetails {

    /** More entries than ever make the top in a while; past it the cache starts over. */
    private static final int CAPACITY = 512;

    private record Known(long startTime, String user, String command) {}

    private final ProcReader reader = new ProcReader();
    private final Map<Integer, Known> known = new HashMap<>();

    @Override
    public String user(Process p) {
        return lookUp(p).user();
    }

    @Override
    public String command(Process p) {
        return lookUp(p).command();
    }

    @Override
    public boolean io(Process p, long[] out) {
        String text = reader.read("/proc/" + p.pid() + "/io", 512);
        return text != null && parseIo(text, out);
    }

    /** read_bytes and write_bytes of a /proc/[pid]/io text. */
    static boolean parseIo(String text, long[] out) {
        long read = field(text, "read_bytes: "), write = field(text, "write_bytes: ");
        if (read < 0 || write < 0) return false;
        out[0] = read;
        out[1] = write;
        return true;
    }

    private static long field(String text, String name) {
        int at = text.startsWith(name) ? 0 : text.indexOf("\n" + name);
        if (at < 0) return -1;
        at += at == 0 ? name.length() : name.length() + 1;
        long v = 0;
        int digits = 0;
        for (; at < text.length() && Character.isDigit(text.charAt(at)); at++, digits++) v = v * 10 + (text.charAt(at) - '0');
        return digits == 0 || digits > 18 ? -1 : v;
    }

    private Known lookUp(Process p) {
        Known k = known.get(p.pid());
        if (k != null && k.startTime() == p.startTime()) return k;
        if (known.size() >= CAPACITY) known.clear();
        String dir = "/proc/" + p.pid();
        // The owner of /proc/[pid] is the process's effective user: the same answer the SSH path gets from ls -ln.
        String user;
        try {
            user = Files.getOwner(Path.of(dir)).getName();
        } catch (IOException | UnsupportedOperationException e) {
            user = "?";
        }
        String command = ProcessDetails.display(reader.read(dir + "/cmdline", ProcessDetails.COMMAND_CHARS * 4), p.name());
        k = new Known(p.startTime(), user, command);
        known.put(p.pid(), k);
        return k;
    }
}
