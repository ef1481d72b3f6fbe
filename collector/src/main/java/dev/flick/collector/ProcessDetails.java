package dev.flick.collector;

import dev.flick.collector.ProcSample.Process;

/** Who runs a process and how it was started: looked up only for the few processes that make the top. */
interface ProcessDetails {

    /** Commands longer than this are cut: enough to tell processes apart, small enough to store every second. */
    int COMMAND_CHARS = 200;

    String user(Process process);

    String command(Process process);

    /**
     * A raw command line as ps shows it: arguments joined by spaces, control characters blanked, cut to
     * {@link #COMMAND_CHARS}; "[name]" when there is none, as for kernel threads.
     */
    static String display(String raw, String name) {
        if (raw == null) return "[" + name + "]";
        int length = raw.length();
        while (length > 0 && (raw.charAt(length - 1) <= ' ' || raw.charAt(length - 1) == 0x7f)) length--;
        if (length == 0) return "[" + name + "]";
        int limit = Math.min(length, COMMAND_CHARS);
        if (limit < length && Character.isHighSurrogate(raw.charAt(limit - 1))) limit--;
        StringBuilder out = new StringBuilder(limit);
        for (int i = 0; i < limit; i++) {
            char c = raw.charAt(i);
            out.append(c < ' ' || c == 0x7f ? ' ' : c);
        }
        return out.toString();
    }
}
