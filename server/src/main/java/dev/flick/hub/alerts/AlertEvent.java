package dev.flick.hub.alerts;

import java.util.List;

import dev.flick.collector.Snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An alert event as the API and the live {@code alert} message show it. state: firing or resolved. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AlertEvent(String id, String ruleId, String ruleName, String serverId, String metric, String mount, String level,
                  String state, Double value, Double threshold, long startedAt, Long resolvedAt, String ackedBy, Long ackedAt,
                  Long notifiedAt, Evidence evidence) {

    /** facts: what the rule saw in a host-inventory section (a sensor, a drive, failed units); absent for other rules. */
    record Evidence(List<Snapshot.Processes.Process> processes, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> facts) {
        Evidence {
            processes = processes == null ? List.of() : processes;
            facts = facts == null ? List.of() : facts;
        }
    }
}
