package dev.flick.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hub with N agents over real WebSocket connections at 1 Hz: a real hub in this JVM (SQLite, no local collector),
 * N agent servers added through the API, {@link AgentFleet} in a child JVM holding N sockets, and one viewer socket on
 * "*" here measuring snapshot→viewer latency (send time in the agent to arrival at the viewer: the agent socket,
 * validation, ingest, fan-out and the viewer socket). Hub CPU and RSS are this JVM's, which holds the viewer too.
 *
 * <pre>java -cp … dev.flick.bench.AgentFleetBench N [seconds] [warmup]</pre>
 */
public final class AgentFleetBench {

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        try (Hub hub = new Hub("sqlite", "--flick.local-collector=false")) {
            HttpClient http = HttpClient.newHttpClient();
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.base() + "/api/v1/servers"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + hub.token)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"agent " + i + "\",\"mode\":\"agent\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                int t = r.body().indexOf("\"agentToken\":\"") + 14;
                tokens.add(r.body().substring(t, r.body().indexOf('"', t)));
            }
            Path file = Files.createTempFile("flick-fleet", ".tokens");
            Files.write(file, tokens);
            Percentiles latency = new Percentiles();
            AtomicLong received = new AtomicLong();
            IngestBench.Subscriber viewer = new IngestBench.Subscriber(hub, latency, received);

            String java = ProcessHandle.current().info().command().orElse("java");
            Process fleet = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    AgentFleet.class.getName(), Integer.toString(hub.port), file.toString(), Integer.toString(warmup + seconds + 5))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            Thread.sleep(warmup * 1000L);
            latency.reset();
            long r0 = received.get();
            double cpu0 = Hub.processCpuSeconds();
            long t0 = System.nanoTime();
            long maxRss = 0;
            for (int i = 0; i < seconds; i++) {
                Thread.sleep(1000);
                if (i % 5 == 4) maxRss = Math.max(maxRss, Hub.rssBytes());
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (Hub.processCpuSeconds() - cpu0) / wall * 100;
            long got = received.get() - r0;
            System.out.printf("| %d | %.0f | %d | %d | %d | %.0f%% | %d MB | %s |%n", n, got / wall, latency.at(0.5), latency.at(0.99),
                    latency.max(), cpu, maxRss / (1 << 20), latency.at(0.99) <= 100 && got / wall >= 0.98 * n ? "yes" : "NO");
            fleet.destroy();
            viewer.close();
        }
        System.exit(0);
    }
}
