package dev.flick.hub.logs;

/**
 * One line of the logs table: the hub's own events (source "hub"), or a monitored server's system log
 * (source "journal" / "syslog", with unit or program). level ∈ debug, info, notice, warning, error, critical.
 */
public record LogEntry(long ts, String serverId, String source, String level, String unit, String message,
                       String actor, String target) {

    public static LogEntry hub(String level, String message, String actor, String target, String serverId) {
        return new LogEntry(System.currentTimeMillis(), serverId, "hub", level, null, message, actor, target);
    }
}
