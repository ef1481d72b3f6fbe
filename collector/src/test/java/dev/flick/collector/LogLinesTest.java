package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LogLinesTest {

    private static List<String> fixture(String name) throws IOException {
        try (InputStream in = LogLinesTest.class.getResourceAsStream("/logs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static long ms(String iso) {
        return java.time.Instant.parse(iso).toEpochMilli();
    }

    @Test
    void journalObjectsBecomeLinesWithTimeLevelUnitAndMessage() throws IOException {
        List<Optional<LogLine>> lines = fixture("journal.jsonl").stream().map(LogLines::fromJournalJson).toList();
        assertThat(lines.get(0)).contains(new LogLine(1_764_127_920_123L, "journal", "info", "ssh.service",
                "Accepted publickey for deploy from 10.0.0.5 port 51422 ssh2"));
        assertThat(lines.get(1).orElseThrow().level()).isEqualTo("error");
        assertThat(lines.get(1).orElseThrow().unit()).as("no unit: the identifier").isEqualTo("kernel");
        assertThat(lines.get(2).orElseThrow().message()).as("binary MESSAGE as UTF-8 bytes").isEqualTo("Hi ✓\n");
        assertThat(lines.get(2).orElseThrow().level()).isEqualTo("warning");
        assertThat(lines.get(3).orElseThrow().message()).isEqualTo("Out of memory: Killed process 4242 (java) total-vm:\"8G\"\ttabé");
        assertThat(lines.get(3).orElseThrow().level()).isEqualTo("critical");
        assertThat(lines.get(3).orElseThrow().unit()).isEqualTo("oom");
    }

    @Test
    void malformedJournalLinesAreSkippedNotThrown() throws IOException {
        List<String> raw = fixture("journal.jsonl");
        assertThat(raw.subList(4, raw.size())).allSatisfy(l -> assertThat(LogLines.fromJournalJson(l)).isEmpty());
        assertThat(LogLines.fromJournalJson(null)).isEmpty();
    }

    @Test
    void syslogLinesInBothFormats() throws IOException {
        List<String> raw = fixture("syslog.txt");
        LogLine cron = LogLines.fromSyslog(raw.get(0), 2026, ZoneOffset.UTC).orElseThrow();
        assertThat(cron).isEqualTo(new LogLine(ms("2026-11-26T03:12:00Z"), "syslog", "info", "CRON", "(root) CMD (run-parts /etc/cron.hourly)"));
        LogLine kernel = LogLines.fromSyslog(raw.get(1), 2026, ZoneOffset.UTC).orElseThrow();
        assertThat(kernel.unit()).isEqualTo("kernel");
        assertThat(kernel.message()).startsWith("[12345.678] Out of memory");
        assertThat(LogLines.fromSyslog(raw.get(2), 2026, ZoneOffset.UTC).orElseThrow().level()).as("<11> = user.err").isEqualTo("error");
        LogLine iso = LogLines.fromSyslog(raw.get(3), 2026, ZoneOffset.UTC).orElseThrow();
        assertThat(iso.ts()).isEqualTo(ms("2026-11-26T03:12:03.123Z"));
        assertThat(iso.unit()).isEqualTo("systemd");
        assertThat(LogLines.fromSyslog(raw.get(4), 2026, ZoneOffset.UTC).orElseThrow().ts()).as("+0100 offset").isEqualTo(ms("2026-11-26T03:12:04Z"));
        assertThat(LogLines.fromSyslog(raw.get(5), 2026, ZoneOffset.UTC)).isEmpty();
    }

    @Test
    void longMessagesAreClippedAndJsonIsEscaped() {
        LogLine l = LogLines.fromSyslog("Nov 26 03:12:00 h p: " + "x".repeat(10_000), 2026, ZoneOffset.UTC).orElseThrow();
        assertThat(l.message()).hasSize(LogLine.MAX_MESSAGE);
        assertThat(LogLines.toJson(new LogLine(1, "syslog", "info", null, "a \"quote\"\n")))
                .isEqualTo("{\"ts\":1,\"source\":\"syslog\",\"level\":\"info\",\"message\":\"a \\\"quote\\\"\\n\"}");
    }
}
