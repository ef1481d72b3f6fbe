package dev.flick.hub.live;

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

    @Test
    void storedEvidenceReadsBackWithUnknownRatesStillUnknown() {
        JsonMapper json = JsonMapper.builder().addMixIn(Snapshot.Processes.Process.class, ProcessIoJson.class).build();
        Snapshot.Processes.Process unknown = json.readValue(
                json.writeValueAsString(new Snapshot.Processes.Process(1, "init", "root", 0.5, 1024, "/sbin/init")),
                Snapshot.Processes.Process.class);
        assertThat(unknown.readBps()).isNaN();
        assertThat(unknown.writeBps()).isNaN();
        assertThat(unknown.name()).isEqualTo("init");
        assertThat(unknown.rss()).isEqualTo(1024);
        Snapshot.Processes.Process known = json.readValue(
                json.writeValueAsString(new Snapshot.Processes.Process(7, "dd", "root", 50, 1024, "dd if=/dev/zero", 4096, 0)),
                Snapshot.Processes.Process.class);
        assertThat(known.readBps()).isEqualTo(4096);
        assertThat(known.writeBps()).isZero();
        assertThat(known.command()).isEqualTo("dd if=/dev/zero");
    }
}
