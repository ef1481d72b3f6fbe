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
import java.util.concurrent.atomic.AtomicLongArray;

import dev.flick.collector.Snapshot;
import dev.flick.hub.metrics.Ingest;


/**
 * Live bus under many viewers (issue 16): N simulated servers at 1 Hz through the real ingest path of one hub, V real
 * WebSocket viewers on {@code "*"} — whole snapshots ({@code full}) or the overview's summary ({@code summary}).
 * Reports the viewers still connected at the end, sample → viewer latency, how stale each viewer's oldest server got
 * while running, and how long after the last sample every viewer had every server's last value.
 *
 * <pre>java -cp … dev.flick.bench.LiveViewersBench full|summary N V [seconds] [warmup]</pre>
 */
public final class LiveViewersBench {

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int servers = Integer.parseInt(args[1]);
        int viewerCount = Integer.parseInt(args[2]);
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 10;

        try (Hub hub = new Hub("sqlite", "--flick.local-collector=false")) {
            IngestPort port = new IngestPort(hub.bean(Ingest.class));
            Snapshot[] fleet = new Snapshot[servers];
            for (int i = 0; i < servers; i++) fleet[i] = Fleet.template("live-" + i);
            org.springframework.jdbc.core.JdbcTemplate jdbc = hub.bean(org.springframework.jdbc.core.JdbcTemplate.class);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < servers; i++) rows.add(new Object[] {"live-" + i, "live-" + i});
            jdbc.batchUpdate("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, ?, 'agent', 'offline', 0) "
                    + "ON CONFLICT (id) DO NOTHING", rows);

            Percentiles latency = new Percentiles();
            List<Viewer> viewers = new ArrayList<>();
            for (int v = 0; v < viewerCount; v++) viewers.add(new Viewer(hub, mode, servers, latency));

            AtomicLong produced = new AtomicLong();
            AtomicLong lastTs = new AtomicLong();
            int ticksPerSecond = 100;
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
                        long ts = System.currentTimeMillis();
                        port.offer(fleet[i].withTs(ts), failed -> { });
                        lastTs.accumulateAndGet(ts, Math::max);
                        produced.incrementAndGet();
                    }
                }, g * 1000L / ticksPerSecond / generators, 1000 / ticksPerSecond, TimeUnit.MILLISECONDS);
            }

            Thread.sleep(warmup * 1000L);
            latency.reset();
            Percentiles staleness = new Percentiles();
            long unseenMax = 0;
            long p0 = produced.get();
            long r0 = viewers.stream().mapToLong(v -> v.received.get()).sum();
            double cpu0 = Hub.processCpuSeconds();
            long t0 = System.nanoTime();
            for (int i = 0; i < seconds * 2; i++) {
                Thread.sleep(500);
                long now = System.currentTimeMillis();
                for (Viewer v : viewers) {
                    if (v.closed.isDone()) continue;
                    unseenMax = Math.max(unseenMax, v.unseen());
                    long oldest = v.oldest();
                    if (oldest > 0) staleness.add(now - oldest);
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (Hub.processCpuSeconds() - cpu0) / wall * 100;
            long producedN = produced.get() - p0;
            long receivedN = viewers.stream().mapToLong(v -> v.received.get()).sum() - r0;
            long connected = viewers.stream().filter(v -> !v.closed.isDone()).count();
            List<Integer> codes = viewers.stream().filter(v -> v.closed.isDone()).map(v -> v.closed.getNow(0)).toList();
            long markers = viewers.stream().mapToLong(v -> v.markers.get()).sum();

            // The last round: how long until every viewer has every server's final value.
            gen.shutdown();
            gen.awaitTermination(5, TimeUnit.SECONDS);
            long stoppedAt = System.currentTimeMillis();
            long[] finalTs = new long[servers];
            for (int i = 0; i < servers; i++) finalTs[i] = hub.bean(dev.flick.hub.live.LiveHub.class).latest("live-" + i).map(Snapshot::ts).orElse(0L);
            long caughtUp = -1;
            while (System.currentTimeMillis() - stoppedAt < 30_000) {
                boolean all = true;
                for (Viewer v : viewers) if (!v.closed.isDone() && !v.has(finalTs)) all = false;
                if (all) {
                    caughtUp = System.currentTimeMillis() - stoppedAt;
                    break;
                }
                Thread.sleep(20);
            }
            long lastSample = lastTs.get();
            System.out.printf("| %s | %d | %d | %d/%d | %s | %.0f | %.0f | %d | %d | %d | %d / %d (unseen ≤ %d) | %s | %d | %.0f%% |%n",
                    mode, servers, viewerCount, connected, viewerCount, codes.isEmpty() ? "–" : codes.toString(),
                    producedN / wall, receivedN / wall, latency.at(0.5), latency.at(0.99), latency.max(),
                    staleness.at(0.99), staleness.max(), unseenMax,
                    caughtUp < 0 ? "no (30 s)" : (caughtUp + (stoppedAt - lastSample)) + " ms", markers, cpu);
            viewers.forEach(Viewer::close);
        }
        System.exit(0);
    }

    /** A browser-like viewer reading as fast as it can; it answers pings and keeps each server's newest ts. */
    static final class Viewer implements WebSocket.Listener {
        final AtomicLong received = new AtomicLong();
        final AtomicLong markers = new AtomicLong();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final AtomicLongArray newest;
        private final Percentiles latency;
        private final boolean summary;
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private final WebSocket ws;

        Viewer(Hub hub, String mode, int servers, Percentiles latency) throws Exception {
            this.newest = new AtomicLongArray(servers);
            this.latency = latency;
            this.summary = mode.equals("summary");
            ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + hub.port + "/api/v1/ws"), this).join();
            ws.sendText("{\"type\":\"auth\",\"token\":\"" + hub.token + "\"}", true).join();
            ready.get(10, TimeUnit.SECONDS);
            ws.sendText(summary ? "{\"type\":\"subscribe-summary\",\"serverIds\":\"*\"}" : "{\"type\":\"subscribe\",\"serverIds\":\"*\"}", true).join();
        }

        /** The oldest newest-ts among the servers seen so far (0: none yet). */
        long oldest() {
            long min = Long.MAX_VALUE;
            for (int i = 0; i < newest.length(); i++) if (newest.get(i) > 0) min = Math.min(min, newest.get(i));
            return min == Long.MAX_VALUE ? 0 : min;
        }

        int unseen() {
            int n = 0;
            for (int i = 0; i < newest.length(); i++) if (newest.get(i) == 0) n++;
            return n;
        }

        boolean has(long[] finalTs) {
            for (int i = 0; i < finalTs.length; i++) if (newest.get(i) < finalTs[i]) return false;
            return true;
        }

        private void saw(String serverId, long ts, long now) {
            int i = Integer.parseInt(serverId, 5, serverId.length(), 10); // "live-N"
            newest.accumulateAndGet(i, ts, Math::max);
            latency.add(now - ts);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.currentTimeMillis();
                String m = partial.toString();
                partial.setLength(0);
                received.incrementAndGet();
                if (m.startsWith("{\"type\":\"snapshot\"")) {
                    // The hub writes type, serverId and ts first: read them without parsing the rest.
                    int s = m.indexOf("\"serverId\":\"") + 12;
                    String id = m.substring(s, m.indexOf('"', s));
                    int i = m.indexOf("\"ts\":", s) + 5;
                    int j = i;
                    while (Character.isDigit(m.charAt(j))) j++;
                    saw(id, Long.parseLong(m, i, j, 10), now);
                } else if (m.startsWith("{\"type\":\"summary\"")) {
                    // Each entry starts with serverId and ts: scan for them (a browser's JSON.parse is far cheaper than a tree here).
                    int at = m.indexOf("\"servers\":[");
                    while ((at = m.indexOf("{\"serverId\":\"", at)) >= 0) {
                        int s = at + 13;
                        int e = m.indexOf('"', s);
                        int i = m.indexOf("\"ts\":", e) + 5;
                        int j = i;
                        while (Character.isDigit(m.charAt(j))) j++;
                        saw(m.substring(s, e), Long.parseLong(m, i, j, 10), now);
                        at = j;
                    }
                } else if (m.startsWith("{\"type\":\"ping\"")) {
                    w.sendText("{\"type\":\"pong\"}", true);
                } else if (m.startsWith("{\"type\":\"coalesced\"")) {
                    markers.incrementAndGet();
                } else if (m.startsWith("{\"type\":\"ready\"")) {
                    ready.complete(null);
                }
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete(-1);
        }

        void close() {
            ws.abort();
        }
    }
}
