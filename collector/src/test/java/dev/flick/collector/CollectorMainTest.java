package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CollectorMainTest {

    @Test
    void printsOneJsonSnapshotPerSample() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CollectorMain.main(new String[] {"--interval", "200ms", "--count", "2", "--print", "--host-info"});
        } finally {
            System.setOut(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.readTree(lines[0]).has("hostname")).isTrue();
        assertThat(json.readTree(lines[2]).get("serverId").asString()).isEqualTo("local");
    }

    @Test
    void readsIntervalsAsPeopleWriteThem() {
        assertThat(CollectorMain.parseDuration("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(CollectorMain.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(CollectorMain.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(CollectorMain.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(CollectorMain.parseDuration("3")).isEqualTo(Duration.ofSeconds(3));
    }
}
