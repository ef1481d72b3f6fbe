package dev.flick.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.flick.collector.Snapshot;
import dev.flick.hub.metrics.Ingest;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Threshold crossing → in-app notification on a subscribed WebSocket, through a real hub on SQLite.
 * A fake server sends a snapshot every 50 ms through the real ingest path; each trial drives CPU over the rule's
 * threshold, and the clock starts at the ingest of the first snapshot past the rule's 1 s duration (the moment the
 * alert is due) and stops when the {@code notification} message arrives. Then CPU drops and the resolution is drained.
 * Usage: AlertLatencyBench [trials]
 */
public final class AlertLatencyBench {

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        try (Hub hub = new Hub("sqlite", "--flick.local-collector=false")) {
            String server = "latency-bench";
            hub.bean(JdbcClient.class).sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, 'bench', 'agent', 'pending', ?)")
                    .params(server, System.currentTimeMillis()).update();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> rule = http.send(HttpRequest.newBuilder(URI.create(hub.base() + "/api/v1/alerts/rules"))
                    .header("Authorization", "Bearer " + hub.token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"metric\":\"cpu.usage\",\"comparator\":\">\","
                            + "\"critical\":80,\"durationSeconds\":1,\"channelIds\":[],\"enabled\":true}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (rule.statusCode() != 201) throw new IllegalStateException("rule: " + rule.body());

            BlockingQueue<Long> notified = new LinkedBlockingQueue<>();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + hub.port + "/api/v1/ws"),
                    new WebSocket.Listener() {
                        final StringBuilder buf = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            buf.append(data);
                            if (last) {
                                if (buf.indexOf("\"type\":\"notification\"") >= 0) notified.add(System.nanoTime());
                                // Answer heartbeats, or the hub closes a socket silent for 45 s.
                                if (buf.indexOf("\"type\":\"ping\"") >= 0) w.sendText("{\"type\":\"pong\",\"ts\":0}", true);
                                buf.setLength(0);
                            }
                            w.request(1);
                            return null;
                        }
                    }).join();
            ws.sendText("{\"type\":\"auth\",\"token\":\"" + hub.token + "\"}", true).join();
            Thread.sleep(300);

            Ingest ingest = hub.bean(Ingest.class);
            Percentiles latencies = new Percentiles();
            long[] micros = new long[trials];
            for (int trial = 0; trial < trials; trial++) {
                long crossedAt = System.currentTimeMillis();
                long dueNanos = 0;
                while (true) {
                    long now = System.currentTimeMillis();
                    long before = System.nanoTime();
                    ingest.accept(snapshot(server, now, 95));
                    if (dueNanos == 0 && now - crossedAt >= 1_000) dueNanos = before;
                    Long got = notified.poll(50, TimeUnit.MILLISECONDS);
                    if (got != null) {
                        if (dueNanos == 0) throw new IllegalStateException("notified before the duration elapsed");
                        micros[trial] = (got - dueNanos) / 1_000;
                        latencies.add(micros[trial] / 1_000);
                        break;
                    }
                }
                // Back below: the resolution notification follows; drain it before the next trial.
                ingest.accept(snapshot(server, System.currentTimeMillis(), 10));
                if (notified.poll(5, TimeUnit.SECONDS) == null) throw new IllegalStateException("no resolution notification");
                Thread.sleep(60);
            }
            java.util.Arrays.sort(micros);
            System.out.printf("| trials | p50 ms | p90 ms | p99 ms | max ms |%n| ---: | ---: | ---: | ---: | ---: |%n");
            System.out.printf("| %d | %.1f | %.1f | %.1f | %.1f |%n", trials, micros[trials / 2] / 1e3,
                    micros[(int) Math.ceil(trials * 0.9) - 1] / 1e3, micros[(int) Math.ceil(trials * 0.99) - 1] / 1e3,
                    micros[trials - 1] / 1e3);
            ws.abort();
        }
        System.exit(0);
    }

    static Snapshot snapshot(String server, long ts, double cpu) {
        return new Snapshot(server, ts, new Snapshot.Cpu(cpu, cpu, 0, 0, 0, new double[] {cpu}, 1, 1, 1),
                new Snapshot.Memory(1 << 30, 1 << 29, 1 << 29, 0, 0, 0),
                List.of(new Snapshot.Disk("/", "/dev/vda", "ext4", 100L << 30, 10L << 30)),
                new Snapshot.DiskIo(0, 0, List.of()), new Snapshot.Network(0, 0, List.of()),
                new Snapshot.Processes(1, List.of(new Snapshot.Processes.Process(7, "burner", "root", 99, 1 << 20, "burner"))));
    }
}
