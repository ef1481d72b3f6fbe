package dev.flick.hub.alerts;

import java.util.List;

import dev.flick.collector.Snapshot;

/**
 * What the engine decided, handed to the recorder thread: an alert opened (a threshold crossed after its
 * duration, or a level change), closed (resolved, or superseded by a new level), or is due a notification
 * (a reminder, or the first one once a mute ended). tell says whether people are told.
 */
sealed interface Change {

    AlertRule rule();

    String eventId();

    record Opened(AlertRule rule, String eventId, String serverId, String mount, int stage, String level, double value,
                  double threshold, long ts, List<Snapshot.Processes.Process> evidence, List<String> facts, boolean tell)
            implements Change {}

    record Closed(AlertRule rule, String eventId, String serverId, double value, long ts, boolean tell) implements Change {}

    record Due(AlertRule rule, String eventId, String serverId, double value, long ts, boolean reminder) implements Change {}
}
