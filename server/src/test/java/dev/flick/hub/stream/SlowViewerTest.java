package dev.flick.hub.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.flick.collector.Snapshot;
import dev.flick.hub.FlickApplication;
import dev.flick.hub.HubClient;
import dev.flick.hub.metrics.Ingest;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A viewer that reads far slower than the hub publishes is slowed, not cut: it keeps its socket, its pings are not
 * stuck behind data, it is told it was coalesced, and it ends with every server's latest snapshot. An overview on a
 * summary subscription gets the same latest values as a few numbers per server, at most once a second.
 */
class SlowViewerTest {

    static final int SERVERS = 100;
    static final int ROUNDS = 100;

    ConfigurableApplicationContext hub;
    ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        reader.shutdownNow();
        if (hub != null) hub.close();
    }

    /** A real WebSocket client that takes the next message only a millisecond after the last: ≤ 1,000 a second. */
    static final class SlowViewer implements WebSocket.Listener {
        final Map<String, Long> newest = new ConcurrentHashMap<>();
        final AtomicInteger snapshots = new AtomicInteger();
        final AtomicInteger pings = new AtomicInteger();
        final AtomicInteger summaries = new AtomicInteger();
        final List<JsonNode> markers = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        final ScheduledExecutorService reader;
        WebSocket socket;

        SlowViewer(ScheduledExecutorService reader) {
            this.reader = reader;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode m = HubClient.JSON.readTree(partial.toString());
                partial.setLength(0);
                switch (m.path("type").asString()) {
                    case "ready" -> ready.complete(m);
                    case "ping" -> {
                        pings.incrementAndGet();
                        ws.sendText("{\"type\":\"pong\",\"ts\":" + m.get("ts").asLong() + "}", true);
                    }
                    case "snapshot" -> {
                        snapshots.incrementAndGet();
                        newest.merge(m.get("serverId").asString(), m.get("ts").asLong(), Math::max);
                    }
                    case "coalesced" -> markers.add(m);
                    case "summary" -> {
                        summaries.incrementAndGet();
                        for (JsonNode v : m.get("servers")) newest.merge(v.get("serverId").asString(), v.get("ts").asLong(), Math::max);
                    }
                    default -> { }
                }
            }
            reader.schedule(() -> ws.request(1), 1, TimeUnit.MILLISECONDS);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }
    }

    @Test
    void aViewerReadingSlowlyStaysConnectedGetsPingsAndEndsWithEveryServersLatest() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("flick-slow-viewer");
        hub = new SpringApplication(FlickApplication.class).run("--server.port=" + port, "--flick.data-dir=" + dir,
                "--flick.database-url=", "--flick.local-collector=false", "--logging.level.root=WARN",
                "--flick.live.ping-every=200ms", "--flick.live.coalesce-at=500");
        HubClient client = new HubClient(port);
        String admin = client.admin();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) rows.add(new Object[] {"slow-" + i, "slow-" + i});
        hub.getBean(JdbcTemplate.class).batchUpdate(
                "INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, ?, 'agent', 'offline', 0)", rows);

        SlowViewer viewer = connect(port, admin, "{\"type\":\"subscribe\",\"serverIds\":\"*\"}");
        // An overview beside it: a summary of every server, at most once a second.
        SlowViewer overview = connect(port, admin, "{\"type\":\"subscribe-summary\",\"serverIds\":\"*\"}");
        long started = System.nanoTime();

        Ingest ingest = hub.getBean(Ingest.class);
        long base = System.currentTimeMillis() - ROUNDS * 1_000L;
        Snapshot template = sample();
        for (int round = 1; round <= ROUNDS; round++) {
            for (int i = 0; i < SERVERS; i++) ingest.accept(template.withServerId("slow-" + i).withTs(base + round * 1_000L));
        }
        long last = base + ROUNDS * 1_000L;
        int pingsWhenPublished = viewer.pings.get();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(viewer.closed).as("still connected").isNotDone();
            assertThat(viewer.newest).hasSize(SERVERS);
            assertThat(viewer.newest.values()).allMatch(ts -> ts == last);
        });
        assertThat(viewer.markers).as("told it was coalesced").isNotEmpty();
        assertThat(viewer.markers.stream().mapToLong(m -> m.get("skipped").asLong()).sum()).isPositive();
        assertThat(viewer.snapshots.get()).as("fewer than published").isLessThan(SERVERS * ROUNDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> viewer.pings.get() > pingsWhenPublished);
        assertThat(viewer.closed).isNotDone();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(overview.newest).hasSize(SERVERS);
            assertThat(overview.newest.values()).allMatch(ts -> ts == last);
        });
        assertThat(overview.snapshots).as("no whole snapshots on a summary subscription").hasValue(0);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertThat(overview.summaries.get()).isPositive().isLessThanOrEqualTo((int) seconds + 2);
        assertThat(overview.closed).isNotDone();
        viewer.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        overview.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }

    private SlowViewer connect(int port, String token, String subscribe) throws Exception {
        SlowViewer viewer = new SlowViewer(reader);
        viewer.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/ws"), viewer).join();
        viewer.socket.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", true).join();
        assertThat(viewer.ready.get(10, TimeUnit.SECONDS).get("type").asString()).isEqualTo("ready");
        viewer.socket.sendText(subscribe, true).join();
        return viewer;
    }

    static Snapshot sample() {
        List<Snapshot.Processes.Process> top = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            top.add(new Snapshot.Processes.Process(100 + i, "proc-" + i, "app", 1.5 * i, 10_000_000L * i,
                    "/usr/bin/proc-" + i + " --config /etc/proc/" + i + ".conf --workers 4"));
        }
        return new Snapshot("x", 0, new Snapshot.Cpu(25, 20, 5, 0, 0, new double[] {25, 25}, 0.5, 0.4, 0.3),
                new Snapshot.Memory(8_000_000_000L, 2_000_000_000L, 6_000_000_000L, 0, 0, 0),
                List.of(new Snapshot.Disk("/", "/dev/sda1", "ext4", 100_000_000_000L, 40_000_000_000L)),
                new Snapshot.DiskIo(0, 0, List.of()), new Snapshot.Network(1_000, 500, List.of()), new Snapshot.Processes(10, top));
    }
}
