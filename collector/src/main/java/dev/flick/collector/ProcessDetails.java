package dev.flick.collector;

import dev.flick.collector.ProcSample.Process;

/** Who runs a process and how it was started: looked up only for the few processes that make the top. */
interface ProcessDetails {

    /** Commands longer than this are cut: enough to tell processes apart, small enough to store every second. */
    int COMMAND_CHARS = 200;

    String user(Process process);

    String command(Process process);

    /**
     * The process's storage I/O counters (read_bytes, write_bytes of /proc/[pid]/io) into {@code out}, or false when
     * unknown (not permitted: another user's process). Asked only for the top processes of sources whose samples do
     * not carry them.
     */
    default boolean io(Process process, long[] out) {
        return false;
    }

    /**
     * A raw command line as ps shows it: arguments joined by spaces, control characters blanked, secrets redacted
     * ({@link CommandLines}), cut to {@link #COMMAND_CHARS}; "[name]" when there is none, as for kernel threads.
     * Redacting comes before the cut, so a cut never leaves half a secret unrecognised.
     */
    static String display(String raw, String name) {
        if (raw == null) return "[" + name + "]";
        int length = raw.length();
        while (length > 0 && (raw.charAt(length - 1) <= ' ' || raw.charAt(length - 1) == 0x7f)) length--;
        if (length == 0) return "[" + name + "]";
        StringBuilder blanked = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            char c = raw.charAt(i);
            blanked.append(c < ' ' || c == 0x7f ? ' ' : c);
        }
        String line = CommandLines.redact(blanked.toString());
        int limit = Math.min(line.length(), COMMAND_CHARS);
        if (limit < line.length() && Character.isHighSurrogate(line.charAt(limit - 1))) limit--;
        return line.substring(0, limit);
    }
}
