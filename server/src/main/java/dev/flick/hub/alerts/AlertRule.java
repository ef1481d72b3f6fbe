package dev.flick.hub.alerts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A rule as stored and as the API shows it. comparator ">" fires above the thresholds, "<" below.
 * warningLevel / criticalLevel: the severity (info, warning, critical) each threshold reports.
 * serverIds null: every server. mount (disk.usage only) null: each mount on its own.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AlertRule(String id, String name, String metric, String comparator, Double warning, Double critical,
                 String warningLevel, String criticalLevel, int durationSeconds, Double recoveryMargin, String mount,
                 List<String> serverIds, Integer repeatMinutes, List<String> channelIds, boolean enabled, Long mutedUntil,
                 String ownerId, long createdAt) {

    AlertRule withId(String newId, long created, String owner) {
        return new AlertRule(newId, name, metric, comparator, warning, critical, warningLevel, criticalLevel, durationSeconds,
                recoveryMargin, mount, serverIds, repeatMinutes, channelIds, enabled, mutedUntil, owner, created);
    }
}
