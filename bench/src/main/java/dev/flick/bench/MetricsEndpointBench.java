package dev.flick.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.flick.collector.Snapshot;
import dev.flick.hub.metrics.Ingest;

/**
 * GET /metrics for N servers: response time (p50/p95) and size in both formats, and the hub's CPU while a real
 * Prometheus scrapes it every second vs with no scraper. Synthetic snapshots (Fleet.template) go through
 * metrics.Ingest at 1 Hz per server, as IngestBench feeds them, so the exposition's counters move as in production.
 *
 * <pre>java -cp … dev.flick.bench.MetricsEndpointBench [servers=1000] [window seconds=60] [warmup=20] [prometheus=/usr/bin/prometheus]</pre>
 */
public final class MetricsEndpointBench {

    public static void main(String[] args) throws Exception {
        int servers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        String prometheusBin = args.length > 3 ? args[3] : "/usr/bin/prometheus";

        try (Hub hub = new Hub("sqlite", "--flick.local-collector=false", "--flick.ring-seconds=120")) {
            Ingest ingest = hub.bean(Ingest.class);
            org.springframework.jdbc.core.JdbcTemplate jdbc = hub.bean(org.springframework.jdbc.core.JdbcTemplate.class);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < servers; i++) rows.add(new Object[] {"bench-" + i, "bench server " + i});
            jdbc.batchUpdate("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, ?, 'agent', 'offline', 0) "
                    + "ON CONFLICT (id) DO NOTHING", rows);
            hub.bean(dev.flick.hub.servers.ServerAccess.class).reload(); // rows added behind the servers module's back
            Snapshot[] fleet = new Snapshot[servers];
            for (int i = 0; i < servers; i++) fleet[i] = Fleet.template("bench-" + i);
            int ticksPerSecond = 50;
            ScheduledExecutorService gen = Executors.newSingleThreadScheduledExecutor();
            long[] tick = {0};
            gen.scheduleAtFixedRate(() -> {
                long t = tick[0]++ % ticksPerSecond;
                int from = (int) (t * servers / ticksPerSecond), to = (int) ((t + 1) * servers / ticksPerSecond);
                long now = System.currentTimeMillis();
                for (int i = from; i < to; i++) ingest.accept(fleet[i].withTs(now));
            }, 0, 1000 / ticksPerSecond, TimeUnit.MILLISECONDS);

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String created = http.send(HttpRequest.newBuilder(URI.create(hub.base() + "/api/v1/tokens"))
                    .header("Authorization", "Bearer " + hub.token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"scope\":\"read\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            int i0 = created.indexOf("\"token\":\"") + 9;
            String token = created.substring(i0, created.indexOf('"', i0));

            Thread.sleep(warmup * 1000L);

            // Response time and size, one request at a time (as one Prometheus does).
            Percentiles text = new Percentiles();
            long textBytes = 0, omBytes = 0;
            for (int i = 0; i < 100; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(hub.base() + "/metrics"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
                text.add((System.nanoTime() - t0) / 1_000_000);
                if (r.statusCode() != 200) throw new IllegalStateException("/metrics answered " + r.statusCode());
                textBytes = r.body().length;
            }
            Percentiles om = new Percentiles();
            for (int i = 0; i < 30; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(hub.base() + "/metrics"))
                        .header("Authorization", "Bearer " + token).header("Accept", "application/openmetrics-text; version=1.0.0")
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                om.add((System.nanoTime() - t0) / 1_000_000);
                omBytes = r.body().length;
            }

            double idleCpu = cpuOver(window);

            Path dir = Files.createTempDirectory("flick-bench-prometheus");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global: {scrape_interval: 1s}
                    scrape_configs:
                      - job_name: flick
                        scrape_interval: 1s
                        scrape_timeout: 1s
                        metrics_path: /metrics
                        authorization: {credentials: %s}
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    """.formatted(token, hub.port));
            int promPort;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                promPort = free.getLocalPort();
            }
            Process prometheus = new ProcessBuilder(prometheusBin, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + promPort).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
            try {
                Thread.sleep(5_000);
                double scrapedCpu = cpuOver(window);
                // Prometheus' own view: every scrape in the window succeeded, and how long they took.
                String q = "http://127.0.0.1:" + promPort + "/api/v1/query?query=";
                String up = http.send(HttpRequest.newBuilder(URI.create(q + java.net.URLEncoder.encode(
                        "sum_over_time(up[" + window + "s])", java.nio.charset.StandardCharsets.UTF_8))).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                String took = http.send(HttpRequest.newBuilder(URI.create(q + java.net.URLEncoder.encode(
                        "avg_over_time(scrape_duration_seconds[" + window + "s])", java.nio.charset.StandardCharsets.UTF_8))).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                System.out.println("successful scrapes in the window: " + lastValue(up) + "; mean scrape duration s: " + lastValue(took));
                System.out.printf("| %d | %d / %d | %.2f | %d / %d | %.2f | %.0f%% | %.0f%% | %+.1f points |%n", servers,
                        text.at(0.5), text.at(0.95), textBytes / 1e6, om.at(0.5), om.at(0.95), omBytes / 1e6,
                        idleCpu, scrapedCpu, scrapedCpu - idleCpu);
            } finally {
                prometheus.destroy();
                prometheus.waitFor();
            }
            gen.shutdownNow();
        }
        System.exit(0);
    }

    private static String lastValue(String promResponse) {
        int i = promResponse.lastIndexOf(",\"");
        return i < 0 ? promResponse : promResponse.substring(i + 2, promResponse.indexOf('"', i + 2));
    }

    /** The bench JVM's CPU (hub + snapshot generator) over the window, percent of one core. */
    private static double cpuOver(int seconds) throws InterruptedException {
        double c0 = Hub.processCpuSeconds();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return (Hub.processCpuSeconds() - c0) / ((System.nanoTime() - t0) / 1e9) * 100;
    }
}
