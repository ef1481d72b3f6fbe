package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * System logs through the agent, against real parts: the hub on a random port and real agent processes following a
 * syslog file this test writes, or a journal command printing journald JSON lines. Lines must come out of
 * GET /api/v1/logs with the right level, unit and time; unreadable lines are counted and skipped; and a flood of
 * 100,000 lines must not stop snapshots arriving every interval.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class AgentLogsTest {

    private static final DateTimeFormatter CLASSIC = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    HubClient client;
    String token;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-agent-logs-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> "1s");
        registry.add("flick.local-collector", () -> "false");
    }

    @BeforeEach
    void signIn() {
        client = new HubClient(port);
        token = client.admin();
    }

    @Test
    void linesAppendedToAFollowedSyslogFileAreSearchableWithTheirLevelUnitAndTime() throws Exception {
        JsonNode server = create("syslog box");
        String id = server.get("id").asString();
        Path file = Files.createTempFile("flick-syslog", ".log");
        try (AgentProcess agent = new AgentProcess(client.base(), server.get("agentToken").asString(), "1s",
                "--logs", "syslog", "--syslog-file", file.toString())) {
            awaitOnline(id, agent);
            // The agent reads from where the file ended when it started: this line is history, not news.
            LocalDateTime now = LocalDateTime.now(ZoneId.systemDefault()).withNano(0);
            long classicTs = now.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            append(file, now.format(CLASSIC) + " box CRON[4242]: (root) CMD (flickcanary-classic)\n"
                    + "this is not a syslog line\n"
                    + OffsetDateTime.now().withNano(123_000_000) + " box nginx: flickcanary-iso upstream timed out\n"
                    + "<11>" + now.format(CLASSIC) + " box payments[99]: flickcanary-error payment failed for order 17\n");

            JsonNode classic = awaitLine(id, "flickcanary-classic", agent);
            assertThat(classic.get("source").asString()).isEqualTo("syslog");
            assertThat(classic.get("level").asString()).isEqualTo("info");
            assertThat(classic.get("unit").asString()).isEqualTo("CRON");
            assertThat(classic.get("message").asString()).isEqualTo("(root) CMD (flickcanary-classic)");
            assertThat(classic.get("ts").asLong()).isEqualTo(classicTs);
            assertThat(classic.get("serverId").asString()).isEqualTo(id);

            JsonNode error = awaitLine(id, "flickcanary-error", agent);
            assertThat(error.get("level").asString()).isEqualTo("error");
            assertThat(error.get("unit").asString()).isEqualTo("payments");
            JsonNode iso = awaitLine(id, "flickcanary-iso", agent);
            assertThat(iso.get("unit").asString()).isEqualTo("nginx");
            assertThat(iso.get("ts").asLong() % 1000).isEqualTo(123);

            assertThat(logs("serverId=" + id + "&source=syslog").get("items")).hasSize(3); // the unreadable line is not stored
            AgentOutageTest.await(15_000, () -> agent.output().contains("1 unreadable lines skipped"), "the unreadable line counted", agent);
            // The connection is in the hub's own event log.
            assertThat(logs("serverId=" + id + "&source=hub").get("items").findValuesAsString("message")).contains("Agent connected");
        }
        Files.deleteIfExists(file);
    }

    @Test
    void journalLinesFromTheJournalCommandArriveToo() throws Exception {
        JsonNode server = create("journal box");
        String id = server.get("id").asString();
        long now = System.currentTimeMillis();
        Path fixture = Files.createTempFile("flick-journal", ".jsonl");
        Files.writeString(fixture, String.join("\n",
                "{\"__CURSOR\":\"s=1\",\"__REALTIME_TIMESTAMP\":\"" + now * 1000 + "\",\"PRIORITY\":\"4\",\"_SYSTEMD_UNIT\":\"app.service\","
                        + "\"MESSAGE\":\"flickjournal-warning disk almost full\"}",
                "{\"__REALTIME_TIMESTAMP\":\"" + (now + 5) * 1000 + "\",\"PRIORITY\":\"2\",\"SYSLOG_IDENTIFIER\":\"kernel\","
                        + "\"MESSAGE\":[102,108,105,99,107,106,111,117,114,110,97,108,45,98,121,116,101,115,32,226,156,147]}",
                "{\"__REALTIME_TIMESTAMP\":\"soon\",\"MESSAGE\":\"flickjournal-bad-time\"}",
                "") + "\n");
        try (AgentProcess agent = new AgentProcess(client.base(), server.get("agentToken").asString(), "1s",
                "--logs", "journal", "--journal-command", "sleep 3; cat '" + fixture + "'; exec sleep 600")) {
            awaitOnline(id, agent);
            JsonNode warning = awaitLine(id, "flickjournal-warning", agent);
            assertThat(warning.get("source").asString()).isEqualTo("journal");
            assertThat(warning.get("level").asString()).isEqualTo("warning");
            assertThat(warning.get("unit").asString()).isEqualTo("app.service");
            assertThat(warning.get("ts").asLong()).isEqualTo(now);
            JsonNode bytes = awaitLine(id, "flickjournal-bytes", agent);
            assertThat(bytes.get("message").asString()).isEqualTo("flickjournal-bytes ✓");
            assertThat(bytes.get("level").asString()).isEqualTo("critical");
            assertThat(bytes.get("unit").asString()).isEqualTo("kernel");
            assertThat(logs("serverId=" + id + "&q=flickjournal-bad-time").get("items")).isEmpty();
        }
        Files.deleteIfExists(fixture);
    }

    @Test
    void theHubChecksEveryLineAndStampsItWithTheTokensServer() throws Exception {
        JsonNode server = create("raw log sender");
        String id = server.get("id").asString();
        long now = System.currentTimeMillis();
        try (RemoteServersTest.Socket s = new RemoteServersTest.Socket(port)) {
            s.send("{\"type\":\"auth\",\"token\":\"" + server.get("agentToken").asString() + "\",\"interval\":1000}");
            s.next("ready");
            s.send("{\"type\":\"logs\",\"lines\":["
                    + "{\"ts\":" + now + ",\"source\":\"syslog\",\"level\":\"notice\",\"unit\":\"sshd\",\"message\":\"flickraw-kept\",\"serverId\":\"someone-else\"},"
                    + "{\"ts\":" + now + ",\"source\":\"syslog\",\"level\":\"loud\",\"message\":\"flickraw-bad-level\"},"
                    + "{\"ts\":" + now + ",\"source\":\"kernel\",\"level\":\"info\",\"message\":\"flickraw-bad-source\"},"
                    + "{\"ts\":" + now + ",\"source\":\"syslog\",\"level\":\"info\",\"unit\":\"" + "u".repeat(300) + "\",\"message\":\"flickraw-long-unit\"},"
                    + "{\"ts\":" + (now + 3_600_000) + ",\"source\":\"syslog\",\"level\":\"info\",\"message\":\"flickraw-future\"},"
                    + "{\"ts\":" + now + ",\"source\":\"syslog\",\"level\":\"info\",\"message\":\"" + "m".repeat(5_000) + "\"},"
                    + "\"flickraw-not-an-object\"]}");
            assertThat(s.next("error").get("message").asString()).contains("6 of 7 log lines refused");
            assertThat(s.next("ack").get("logs").asInt()).isEqualTo(7);
            s.send("{\"type\":\"logs\",\"lines\":\"nope\"}");
            assertThat(s.next("error").get("code").asString()).isEqualTo("bad-message");
            assertThat(s.closeCode).isNotDone();
        }
        JsonNode kept = awaitLine(id, "flickraw-kept", null);
        assertThat(kept.get("level").asString()).isEqualTo("notice");
        assertThat(logs("q=flickraw-").get("items").findValuesAsString("message")).containsExactly("flickraw-kept");
        AgentOutageTest.await(10_000, () -> logs("serverId=" + id + "&source=hub").get("items").findValuesAsString("message").stream()
                .anyMatch(m -> m.startsWith("Agent disconnected")), "the disconnect in the event log", null);
    }

    @Test
    void aFloodOfLinesDoesNotStopSnapshotsArrivingEveryInterval() throws Exception {
        JsonNode server = create("flooded box");
        String id = server.get("id").asString();
        Path file = Files.createTempFile("flick-flood", ".log");
        try (AgentProcess agent = new AgentProcess(client.base(), server.get("agentToken").asString(), "1s",
                "--logs", "syslog", "--syslog-file", file.toString())) {
            awaitOnline(id, agent);
            Thread.sleep(2_000);
            long floodStart = System.currentTimeMillis();
            String stamp = LocalDateTime.now(ZoneId.systemDefault()).format(CLASSIC);
            StringBuilder flood = new StringBuilder(100_000 * 70);
            for (int i = 0; i < 100_000; i++) flood.append(stamp).append(" box flood[1]: flickflood line ").append(i).append('\n');
            append(file, flood.toString());
            long written = System.currentTimeMillis();
            Thread.sleep(15_000);
            long windowEnd = System.currentTimeMillis();
            Thread.sleep(3_000); // the writer commits a moment behind ingest

            long from = floodStart - 1_000;
            List<Long> ts = dev.flick.hub.faults.StoredHistory.of(jdbc.getDataSource()).timestamps(id).stream()
                    .filter(t -> t >= from && t <= windowEnd).toList();
            long maxGap = 0;
            for (int i = 1; i < ts.size(); i++) maxGap = Math.max(maxGap, ts.get(i) - ts.get(i - 1));
            assertThat(ts.size()).as("snapshots in the %d s after the flood (written in %d ms)", (windowEnd - floodStart) / 1000,
                    written - floodStart).isGreaterThanOrEqualTo((int) ((windowEnd - floodStart) / 1000) - 1);
            assertThat(maxGap).as("largest gap between snapshots during the flood").isLessThan(1_900);

            Integer lines = jdbc.queryForObject("SELECT count(*) FROM logs WHERE server_id = ? AND source = 'syslog'", Integer.class, id);
            // At most 500 lines a second leave the agent; the buffer keeps the newest 10,000 and counts the rest.
            assertThat(lines).isPositive().isLessThanOrEqualTo((int) ((System.currentTimeMillis() - floodStart) / 1000 + 1) * 500 + 500);
            AgentOutageTest.await(15_000, () -> agent.output().contains("dropped (more than the buffer holds)"), "drops reported", agent);
            assertThat(agent.output()).doesNotContain("connection to the hub lost");
        }
        Files.deleteIfExists(file);
    }

    private JsonNode create(String name) {
        HubClient.Response r = client.post("/api/v1/servers", "{\"name\":\"" + name + "\",\"mode\":\"agent\"}", token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private void awaitOnline(String id, AgentProcess agent) throws InterruptedException {
        AgentOutageTest.await(30_000, () -> "online".equals(client.get("/api/v1/servers/" + id, token).json().path("status").asString()),
                "agent online", agent);
    }

    private JsonNode logs(String query) {
        HubClient.Response r = client.get("/api/v1/logs?" + query, token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private JsonNode awaitLine(String id, String word, AgentProcess agent) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        BooleanSupplier arrived = () -> {
            JsonNode items = logs("serverId=" + id + "&q=" + URLEncoder.encode(word, StandardCharsets.UTF_8)).get("items");
            if (items.isEmpty()) return false;
            found[0] = items.get(0);
            return true;
        };
        AgentOutageTest.await(20_000, arrived, "a log line with " + word, agent);
        return found[0];
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.APPEND);
    }
}
