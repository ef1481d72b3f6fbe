package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * System logs through SSH against real parts: the hub on a random port, Debian's sshd on loopback with two ports whose
 * sessions see different PATHs. On one, journalctl fails, so the hub follows a syslog file the test writes; on the
 * other, a fake journalctl prints a journal JSON fixture and waits. Lines are read back through GET /api/v1/logs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SshLogsTest {

    static final String MARK = "flick-mark-" + UUID.randomUUID().toString().substring(0, 8);
    static final Path work = tempDir();
    static final Path syslog = work.resolve("syslog");
    static int journalPort;
    static TestSshd sshd;

    @LocalServerPort
    int port;
    @Autowired
    SshCollection collection;
    HubClient client;
    String token;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        registry.add("flick.data-dir", () -> work.resolve("data").toString());
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> "1s");
        // sshd listens on 127.0.0.1, which SSH servers may not point at otherwise.
        registry.add("flick.ssh.allow-loopback", () -> "true");
        registry.add("flick.local-collector", () -> "false");
        registry.add("flick.ssh.syslog-paths", () -> "/nonexistent/flick-log," + syslog);
        registry.add("flick.ssh.log-lines-per-second", () -> "500");
    }

    @BeforeAll
    static void startSshd() throws Exception {
        TestSshd.requireSshdAndRoot();
        Files.writeString(syslog, "");
        Path failing = Files.createDirectories(work.resolve("failing"));
        Path fixture = Files.createDirectories(work.resolve("fixture"));
        executable(failing.resolve("journalctl"), "#!/bin/sh\necho \"No journal files were found.\" >&2\nexit 1\n");
        Path jsonl = work.resolve("journal.jsonl");
        long now = System.currentTimeMillis() * 1000;
        Files.writeString(jsonl, String.join("\n",
                "{\"__REALTIME_TIMESTAMP\":\"" + now + "\",\"PRIORITY\":\"3\",\"_SYSTEMD_UNIT\":\"db.service\",\"MESSAGE\":\"" + MARK + " journal disk error\"}",
                "{\"__REALTIME_TIMESTAMP\":\"" + (now + 1) + "\",\"PRIORITY\":\"6\",\"SYSLOG_IDENTIFIER\":\"cron\",\"MESSAGE\":[" + bytes(MARK + " bytes") + "]}",
                "this is not json",
                "{\"MESSAGE\":\"" + MARK + " without a timestamp\"}",
                ""));
        executable(fixture.resolve("journalctl"), "#!/bin/sh\ncat " + jsonl + "\nexec sleep 600\n");
        try (ServerSocket s = new ServerSocket(0)) {
            journalPort = s.getLocalPort();
        }
        String path = ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        sshd = new TestSshd(List.of("Port " + journalPort, "Match LocalPort " + journalPort, "  SetEnv PATH=" + fixture + path,
                "Match LocalPort {port}", "  SetEnv PATH=" + failing + path));
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) sshd.close();
    }

    @BeforeEach
    void signIn() {
        client = new HubClient(port);
        token = client.admin();
    }

    @Test
    void syslogLinesArriveMalformedOnesAreCountedAndAFloodNeitherStallsSnapshotsNorStopsTheFollower() throws Exception {
        String id = create("syslog target", sshd.port);
        await(30_000, () -> tailOf(syslog).isPresent(), "tail -F of the syslog file on the target");
        assertThat(logs(id, "hub", "SSH connected")).isNotEmpty();

        String iso = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        append("<11>" + iso + " web01 nginx[812]: " + MARK + " upstream timed out",
                "Nov 26 03:12:00 web01 sshd[9]: " + MARK + " classic line",
                "garbage " + MARK, "", "::::");
        await(15_000, () -> logs(id, null, MARK).size() == 2, "the two syslog lines");
        List<JsonNode> lines = logs(id, null, MARK + " upstream");
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.get("source").asString()).isEqualTo("syslog");
            assertThat(l.get("level").asString()).isEqualTo("error");
            assertThat(l.get("unit").asString()).isEqualTo("nginx");
            assertThat(l.get("serverId").asString()).isEqualTo(id);
        });
        SshLogFollower follower = collection.watch(id).follower();
        await(5_000, () -> follower.malformed.get() >= 2, "malformed lines counted");
        assertThat(follower.stored.get()).isEqualTo(2);

        // A flood: 30,000 lines as fast as the disk takes them. Snapshots keep coming every second meanwhile, and
        // only 500 lines a second are kept.
        long before = latestTs(id);
        long floodStart = System.currentTimeMillis();
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) flood.add("Nov 26 03:12:00 web01 flood[1]: line " + i + " " + "x".repeat(100));
        append(flood.toArray(String[]::new));
        List<Long> seen = new ArrayList<>();
        while (System.currentTimeMillis() - floodStart < 6_000) {
            long ts = latestTs(id);
            if (seen.isEmpty() || seen.getLast() != ts) seen.add(ts);
            Thread.sleep(200);
        }
        assertThat(seen.getFirst()).isGreaterThanOrEqualTo(before);
        assertThat(seen).as("a snapshot about every second during the flood").hasSizeGreaterThanOrEqualTo(4);
        for (int i = 1; i < seen.size(); i++) assertThat(seen.get(i) - seen.get(i - 1)).isLessThan(2_500);
        await(10_000, () -> follower.dropped.get() > 0, "lines beyond 500 a second dropped and counted");

        // The source disappears (tail killed on the target): the follower starts it again and lines flow once more.
        ProcessHandle tail = tailOf(syslog).orElseThrow();
        tail.destroy();
        await(20_000, () -> tailOf(syslog).filter(t -> t.pid() != tail.pid()).isPresent(), "tail started again");
        Thread.sleep(500);
        append("Nov 26 03:13:00 web01 app[2]: " + MARK + " after restart");
        await(15_000, () -> logs(id, null, MARK + " after restart").size() == 1, "a line after the restart");
        assertThat(collection.watch(id).follower()).isSameAs(follower);
        assertThat(server(id).path("status").asString()).isEqualTo("online");
    }

    @Test
    void journalJsonFromJournalctlArrivesWithUnitAndLevel() throws Exception {
        String id = create("journal target", journalPort);
        await(30_000, () -> logs(id, null, MARK).size() == 2, "the two journal lines");
        assertThat(logs(id, null, MARK + " journal disk error")).singleElement().satisfies(l -> {
            assertThat(l.get("source").asString()).isEqualTo("journal");
            assertThat(l.get("level").asString()).isEqualTo("error");
            assertThat(l.get("unit").asString()).isEqualTo("db.service");
        });
        assertThat(logs(id, null, MARK + " bytes")).singleElement().satisfies(l -> assertThat(l.get("unit").asString()).isEqualTo("cron"));
        SshLogFollower follower = collection.watch(id).follower();
        await(5_000, () -> follower.malformed.get() == 2, "the line that is not JSON and the one without a time");
        assertThat(logs(id, null, "without a timestamp")).isEmpty();

        // Deleting the server ends its session: the hub log says it connected, and nothing is left running.
        assertThat(logs(id, "hub", "SSH connected to root@127.0.0.1:" + journalPort)).hasSize(1);
        assertThat(client.delete("/api/v1/servers/" + id, token).status()).isEqualTo(204);
        assertThat(collection.watch(id)).isNull();
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private String create(String name, int sshPort) {
        String hostKey;
        try {
            hostKey = sshd.hostKeyField();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String body = "{\"name\":\"" + name + "\",\"mode\":\"ssh\",\"host\":\"127.0.0.1\",\"port\":" + sshPort
                + ",\"username\":\"root\",\"privateKey\":" + HubClient.JSON.writeValueAsString(sshd.clientKey) + "," + hostKey + "}";
        HubClient.Response r = client.post("/api/v1/servers", body, token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    private JsonNode server(String id) {
        return client.get("/api/v1/servers/" + id, token).json();
    }

    private long latestTs(String id) {
        return server(id).path("latest").path("ts").asLong();
    }

    private List<JsonNode> logs(String serverId, String source, String q) {
        String query = "/api/v1/logs?serverId=" + serverId + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + (source == null ? "" : "&source=" + source);
        HubClient.Response r = client.get(query, token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        r.json().get("items").forEach(items::add);
        return items;
    }

    private static Optional<ProcessHandle> tailOf(Path file) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.startsWith("tail ") || c.contains("/tail "))
                        .orElse(false) && p.info().commandLine().orElse("").endsWith(file.toString()))
                .findFirst();
    }

    private static void append(String... lines) throws Exception {
        Files.writeString(syslog, String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
    }

    private static void executable(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("flick-ssh-logs");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String bytes(String text) {
        StringBuilder b = new StringBuilder();
        for (byte c : text.getBytes(StandardCharsets.UTF_8)) b.append(b.isEmpty() ? "" : ",").append(c & 0xff);
        return b.toString();
    }

    private static void await(long millis, BooleanSupplier condition, String what) throws InterruptedException {
        AgentOutageTest.await(millis, condition, what, null);
    }
}
