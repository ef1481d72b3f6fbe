package dev.flick.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.flick.collector.Snapshot;
import dev.flick.hub.metrics.Ingest;

/**
 * Ingest capacity: N simulated servers at 1 Hz fed through the real ingest path (live hub, fan-out, batch writer,
 * rollups) of a real hub, each snapshot offered the agent's way (acknowledged once durable, ack latency measured), one real WebSocket subscriber on "*" measuring snapshot→subscriber latency.
 *
 * <pre>java -cp … dev.flick.bench.IngestBench sqlite|postgres N [seconds] [warmup]</pre>
 */
public final class IngestBench {

    public static void main(String[] args) throws Exception {
        String db = args[0];
        int servers = Integer.parseInt(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 15;

        try (Hub hub = new Hub(db, "--flick.local-collector=false", "--flick.ring-seconds=600")) {
            Ingest ingest = hub.bean(Ingest.class);
            IngestPort port = new IngestPort(ingest);
            Percentiles latency = new Percentiles();
            AtomicLong received = new AtomicLong();
            Subscriber sub = new Subscriber(hub, latency, received);

            Snapshot[] fleet = new Snapshot[servers];
            for (int i = 0; i < servers; i++) fleet[i] = Fleet.template("bench-" + i);
            // The writer stores rows only for servers that exist.
            org.springframework.jdbc.core.JdbcTemplate jdbc = hub.bean(org.springframework.jdbc.core.JdbcTemplate.class);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < servers; i++) rows.add(new Object[] {"bench-" + i, "bench-" + i});
            jdbc.batchUpdate("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, ?, 'agent', 'offline', 0) "
                    + "ON CONFLICT (id) DO NOTHING", rows);
            // Every snapshot goes the agent's way: acknowledged once the spool has it on disk.
            Percentiles ackLatency = new Percentiles();
            AtomicLong refused = new AtomicLong();
            AtomicLong produced = new AtomicLong();
            int ticksPerSecond = 100;
            // One generator per core, each for its half of the fleet: agents arrive on many socket threads, not one.
            int generators = Math.max(1, Runtime.getRuntime().availableProcessors());
            ScheduledExecutorService gen = Executors.newScheduledThreadPool(generators);
            for (int g = 0; g < generators; g++) {
                int first = g * servers / generators;
                int last = (g + 1) * servers / generators;
                AtomicLong tick = new AtomicLong();
                gen.scheduleAtFixedRate(() -> {
                    long t = tick.getAndIncrement() % ticksPerSecond;
                    int from = first + (int) (t * (last - first) / ticksPerSecond);
                    int to = first + (int) ((t + 1) * (last - first) / ticksPerSecond);
                    for (int i = from; i < to; i++) {
                        long sent = System.nanoTime();
                        port.offer(fleet[i].withTs(System.currentTimeMillis()), (failed) -> {
                            if (failed) refused.incrementAndGet();
                            else ackLatency.add((System.nanoTime() - sent) / 1_000_000);
                        });
                        produced.incrementAndGet();
                    }
                }, g * 1000L / ticksPerSecond / generators, 1000 / ticksPerSecond, TimeUnit.MILLISECONDS);
            }

            Thread.sleep(warmup * 1000L);
            latency.reset();
            ackLatency.reset();
            long p0 = produced.get(), r0 = received.get();
            IngestPort.Stats s0 = port.stats();
            double cpu0 = Hub.processCpuSeconds();
            long t0 = System.nanoTime();
            long maxBacklog = 0;
            List<Long> rss = new ArrayList<>();
            for (int i = 0; i < seconds; i++) {
                Thread.sleep(1000);
                maxBacklog = Math.max(maxBacklog, port.stats().backlog());
                if (i % 10 == 9) rss.add(Hub.rssBytes());
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (Hub.processCpuSeconds() - cpu0) / wall * 100;
            IngestPort.Stats s1 = port.stats();
            long producedN = produced.get() - p0;
            long receivedN = received.get() - r0;
            gen.shutdownNow();
            Thread.sleep(2_000);
            IngestPort.Stats end = port.stats();
            boolean keptUp = s1.dropped() == s0.dropped() && refused.get() == 0 && maxBacklog < servers * 2L && end.backlog() < servers;
            System.out.printf("| %s | %d | %.0f | %.0f | %d | %d | %d | %d / %d | %d | %.0f | %d | %d | %s | %.0f%% | %d MB |%n",
                    db, servers, producedN / wall, receivedN / wall, latency.at(0.5), latency.at(0.99), latency.max(),
                    ackLatency.at(0.5), ackLatency.at(0.99), (s1.written() - s0.written()) / (long) wall, producedN / wall,
                    s1.dropped() - s0.dropped() + refused.get(), maxBacklog,
                    keptUp && latency.at(0.99) <= 100 ? "yes" : "NO", cpu,
                    rss.stream().mapToLong(Long::longValue).max().orElse(0) / (1 << 20));
            sub.close();
        }
        System.exit(0);
    }

    /** One real browser-like WebSocket subscriber on every server. */
    static final class Subscriber implements WebSocket.Listener {
        private final Percentiles latency;
        private final AtomicLong received;
        private final StringBuilder partial = new StringBuilder();
        private final WebSocket ws;
        private final CompletableFuture<Void> ready = new CompletableFuture<>();

        Subscriber(Hub hub, Percentiles latency, AtomicLong received) throws Exception {
            this.latency = latency;
            this.received = received;
            ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + hub.port + "/api/v1/ws"), this).join();
            ws.sendText("{\"type\":\"auth\",\"token\":\"" + hub.token + "\"}", true).join();
            ready.get(5, TimeUnit.SECONDS);
            ws.sendText("{\"type\":\"subscribe\",\"serverIds\":\"*\"}", true).join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.currentTimeMillis();
                String m = partial.toString();
                partial.setLength(0);
                if (m.startsWith("{\"type\":\"snapshot\"")) {
                    int i = m.indexOf("\"ts\":") + 5;
                    int j = i;
                    while (Character.isDigit(m.charAt(j))) j++;
                    latency.add(now - Long.parseLong(m, i, j, 10));
                    received.incrementAndGet();
                } else if (m.contains("\"ready\"")) {
                    ready.complete(null);
                } else if (m.contains("\"ping\"")) {
                    w.sendText("{\"type\":\"pong\"}", true);
                }
            }
            w.request(1);
            return null;
        }

        void close() {
            ws.abort();
        }
    }
}
