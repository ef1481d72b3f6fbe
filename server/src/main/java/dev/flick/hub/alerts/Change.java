package dev.flick.hub.alerts;

import java.util.List;

import dev.flick.collector.Snapshot;

/**
 * What the engine decided about one incident (rule × server × mount), handed to the recorder thread:
 * opened (a threshold held for its duration), leveled (its level went up or down in place), reopened (it fired
 * again within the flap cool-down: the same incident), closed (resolved), settled (it stayed resolved for the
 * cool-down: the resolve may now be told), or due a notification (a reminder, or the first one once a mute ended or
 * for a level reached while muted). tell says whether people are told.
 */
sealed interface Change {

    AlertRule rule();

    String eventId();

    record Opened(AlertRule rule, String eventId, String serverId, String mount, int stage, String level, double value,
                  double threshold, long ts, List<Snapshot.Processes.Process> evidence, List<String> facts, boolean tell)
            implements Change {}

    /** The open incident's level changed; up is told once per level an incident reaches. */
    record Leveled(AlertRule rule, String eventId, String serverId, int stage, String level, double value, double threshold,
                   long ts, boolean tell) implements Change {}

    /** A resolved incident fired again within the cool-down: back to firing, told only at a level not told before. */
    record Reopened(AlertRule rule, String eventId, String serverId, int stage, String level, double value, double threshold,
                    long ts, boolean tell) implements Change {}

    record Closed(AlertRule rule, String eventId, String serverId, double value, long ts, boolean tell) implements Change {}

    /** A resolved incident stayed resolved for the cool-down: its resolve is told now. */
    record Settled(AlertRule rule, String eventId, String serverId, double value, long ts) implements Change {}

    record Due(AlertRule rule, String eventId, String serverId, double value, long ts, boolean reminder) implements Change {}
}
