package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flick.collector.Snapshot;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class ProcessIoJsonTest {

    @Test
    void unknownIoRatesAreLeftOutAndKnownOnesWritten() {
        JsonMapper json = JsonMapper.builder().addMixIn(Snapshot.Processes.Process.class, ProcessIoJson.class).build();
        assertThat(json.writeValueAsString(new Snapshot.Processes.Process(1, "init", "root", 0.5, 1024, "/sbin/init")))
                .doesNotContain("readBps", "writeBps", "NaN");
        assertThat(json.writeValueAsString(new Snapshot.Processes.Process(7, "dd", "root", 50, 1024, "dd", 4096, 0)))
                .contains("\"readBps\":4096.0", "\"writeBps\":0.0");
    }
}
