package dev.flick.collector;

/**
 * One system-log line of a monitored host, as collectors ship it to the hub. ts is epoch ms; source is "journal"
 * or "syslog"; level ∈ debug, info, notice, warning, error, critical; unit is the systemd unit or the program.
 */
public record LogLine(long ts, String source, String level, String unit, String message) {

    /** Longest message kept: a log line is evidence, not a file transfer. */
    public static final int MAX_MESSAGE = 4_096;

    /** syslog priority 0–7 → FLick's level. */
    public static String level(int priority) {
        return switch (priority) {
            case 0, 1, 2 -> "critical";
            case 3 -> "error";
            case 4 -> "warning";
            case 5 -> "notice";
            case 7 -> "debug";
            default -> "info";
        };
    }

    static String clip(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE);
    }
}
