package dev.flick.hub.alerts;

import java.util.List;

import dev.flick.collector.Snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An alert incident as the API and the live {@code alert} message show it: one per rule × server × mount while it
 * fires (and within its flap cool-down). state: firing or resolved; level is the current one, peakLevel the highest
 * it reached; history lists its level changes and resolves, oldest first; reopens counts flaps back to firing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AlertEvent(String id, String ruleId, String ruleName, String serverId, String metric, String mount, String level,
                  String state, Double value, Double threshold, long startedAt, Long resolvedAt, String ackedBy, Long ackedAt,
                  Long notifiedAt, Evidence evidence, String peakLevel, int reopens, List<Step> history) {

    /** facts: what the rule saw in a host-inventory section (a sensor, a drive, failed units); absent for other rules. */
    record Evidence(List<Snapshot.Processes.Process> processes, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> facts) {
        Evidence {
            processes = processes == null ? List.of() : processes;
            facts = facts == null ? List.of() : facts;
        }
    }

    /** One change of an incident: level is info, warning, critical or resolved. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Step(long ts, String level, Double value) {}
}
