package dev.flick.hub.notify;

import java.util.List;

import dev.flick.collector.Snapshot;

/**
 * Something a person should be told about: an alert that fired, changed level, resolved or is still firing
 * (a reminder), or a channel test. The alerts module fills it in, formatted for people; notify only delivers.
 *
 * @param level         info, warning or critical
 * @param metricLabel   the metric in words ("CPU usage", "Disk usage /var")
 * @param valueText     the value with its unit ("93.2 %")
 * @param thresholdText the condition it broke ("> 90 %")
 * @param ts            when it happened (epoch ms): the moment the link points at
 * @param processes     the top processes at that moment: the evidence
 */
public record Notice(Kind kind, String eventId, String ruleId, String ruleName, String serverId, String serverName,
                     String metric, String mount, String level, String metricLabel, Double value, Double threshold,
                     String valueText, String thresholdText, long ts, long startedAt,
                     List<Snapshot.Processes.Process> processes, List<String> channelIds) {

    public enum Kind { FIRING, RESOLVED, REMINDER, TEST }

    public Notice {
        processes = processes == null ? List.of() : List.copyOf(processes);
        channelIds = channelIds == null ? List.of() : List.copyOf(channelIds);
    }

    /** "critical: CPU usage on web-1 is 93.2 % (> 90 %)", the one line every channel starts with. */
    public String headline() {
        String where = serverName == null ? serverId : serverName;
        return switch (kind) {
            case RESOLVED -> "Resolved: " + metricLabel + " on " + where + " is back to " + valueText;
            case TEST -> "Test from FLick: this channel works";
            case FIRING, REMINDER -> (kind == Kind.REMINDER ? "Still " : "") + level + ": " + metricLabel + " on " + where
                    + " is " + valueText + " (" + thresholdText + ")";
        };
    }
}
