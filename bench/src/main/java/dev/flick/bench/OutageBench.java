package dev.flick.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;
import dev.flick.hub.metrics.Ingest;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Missing rows after a database outage: N agent streams speaking protocol 2 (each keeps every snapshot until the hub
 * acknowledges it, as the real agent does) to a hub whose PostgreSQL sits behind a proxy that is cut for the outage.
 * Afterwards every generated snapshot is looked up in metrics_snapshots.
 *
 * <pre>java -cp … dev.flick.bench.OutageBench [streams] [outage seconds] [before seconds]</pre>
 */
public final class OutageBench {

    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int outage = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        int before = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        try (CutProxy proxy = new CutProxy(5432);
             Hub hub = new Hub("postgres:" + proxy.port(), "--flick.local-collector=false")) {
            List<SimAgent> agents = new ArrayList<>();
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < streams; i++) {
                String body = http.send(HttpRequest.newBuilder(URI.create(hub.base() + "/api/v1/servers"))
                        .header("Authorization", "Bearer " + hub.token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"stream " + i + "\",\"mode\":\"agent\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                agents.add(new SimAgent(hub.port, field(body, "id"), field(body, "agentToken")));
            }
            ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor();
            beat.scheduleAtFixedRate(() -> agents.forEach(SimAgent::sample), 0, 1, TimeUnit.SECONDS);
            Ingest ingest = hub.bean(Ingest.class);

            Thread.sleep(before * 1000L);
            long cutAt = System.currentTimeMillis();
            proxy.cut();
            System.err.printf("database cut at %d for %d s%n", cutAt, outage);
            long maxHeld = 0;
            for (int s = 0; s < outage; s++) {
                Thread.sleep(1_000);
                for (SimAgent a : agents) maxHeld = Math.max(maxHeld, a.held());
                if (s % 60 == 59) System.err.printf("  %d s: spool backlog %d, agents hold at most %d%n", s + 1, ingest.stats().backlog(), maxHeld);
            }
            proxy.restore();
            long restoredAt = System.currentTimeMillis();
            Thread.sleep(before * 1000L);
            beat.shutdownNow();
            long stopAt = System.currentTimeMillis();
            long drainDeadline = stopAt + 900_000;
            while (System.currentTimeMillis() < drainDeadline
                    && (ingest.stats().backlog() > 0 || agents.stream().anyMatch(a -> a.held() > 0))) {
                Thread.sleep(500);
            }
            long drained = System.currentTimeMillis();

            JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
            long generated = 0;
            long missing = 0;
            long maxGap = 0;
            for (SimAgent a : agents) {
                Set<Long> stored = new HashSet<>(jdbc.queryForList("SELECT ts FROM metrics_snapshots WHERE server_id = ?", Long.class, a.id));
                List<Long> made = a.generated();
                generated += made.size();
                for (long ts : made) if (!stored.contains(ts)) missing++;
                List<Long> sorted = new ArrayList<>(stored);
                sorted.sort(null);
                for (int i = 1; i < sorted.size(); i++) maxGap = Math.max(maxGap, sorted.get(i) - sorted.get(i - 1));
            }
            System.out.printf("| %d | %d s | %d | %d | %d ms | %d | %.0f s | %d |%n", streams, outage, generated, missing, maxGap,
                    maxHeld, (drained - restoredAt) / 1000.0, ingest.stats().dropped());
            agents.forEach(SimAgent::close);
            beat.shutdownNow();
        }
        System.exit(0);
    }

    static String field(String json, String key) {
        int i = json.indexOf("\"" + key + "\":\"") + key.length() + 4;
        return json.substring(i, json.indexOf('"', i));
    }

    /** One agent stream: an outbox of unacknowledged snapshots, one batch in flight, protocol 2 replies. */
    static final class SimAgent implements WebSocket.Listener {
        final String id;
        private final String token;
        private final int port;
        private final Snapshot template;
        private final ArrayDeque<long[]> outboxTs = new ArrayDeque<>();
        private final Map<Long, String> outbox = new HashMap<>();
        private final List<Long> generated = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket ws;
        private boolean ready;
        private boolean inFlight;
        private long holdUntil;
        private long lastSent;

        SimAgent(int port, String id, String token) {
            this.port = port;
            this.id = id;
            this.token = token;
            this.template = Fleet.template(id);
            connect();
        }

        private void connect() {
            try {
                ws = HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/agent"), this).get(5, TimeUnit.SECONDS);
                ws.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\",\"agent\":\"bench\",\"interval\":1000,\"clock\":"
                        + System.currentTimeMillis() + "}", true);
            } catch (Exception e) {
                ws = null;
            }
        }

        synchronized void sample() {
            long ts = System.currentTimeMillis() / 1000 * 1000;
            String json = SnapshotJson.write(template.withTs(ts));
            outbox.put(ts, json);
            outboxTs.addLast(new long[] {ts});
            generated.add(ts);
            if (ws == null) connect();
            long now = System.currentTimeMillis();
            if (ready && now < holdUntil && ws != null) ws.sendText("{\"type\":\"live\",\"item\":" + json + "}", true);
            if (inFlight && now - lastSent > 30_000) inFlight = false; // no answer: send again
            sendNext();
        }

        private void sendNext() {
            if (!ready || inFlight || ws == null || outboxTs.isEmpty() || System.currentTimeMillis() < holdUntil) return;
            StringBuilder b = new StringBuilder("{\"type\":\"snapshots\",\"items\":[");
            int n = 0;
            for (long[] t : outboxTs) {
                if (n == 120) break;
                if (n++ > 0) b.append(',');
                b.append(outbox.get(t[0]));
            }
            inFlight = true;
            lastSent = System.currentTimeMillis();
            ws.sendText(b.append("]}"), true);
        }

        synchronized int held() {
            return outboxTs.size();
        }

        synchronized List<Long> generated() {
            return new ArrayList<>(generated);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            socket.request(1);
            if (!last) return null;
            String m = partial.toString();
            partial.setLength(0);
            synchronized (this) {
                if (m.contains("\"type\":\"time\"")) {
                    long now = System.currentTimeMillis();
                    socket.sendText("{\"type\":\"time\",\"h\":" + num(m, "h") + ",\"a1\":" + now + ",\"a2\":" + now + "}", true);
                } else if (m.contains("\"type\":\"ready\"")) {
                    ready = true;
                    sendNext();
                } else if (m.contains("\"type\":\"ack\"")) {
                    long upTo = num(m, "ts");
                    while (!outboxTs.isEmpty() && outboxTs.peekFirst()[0] <= upTo) outbox.remove(outboxTs.pollFirst()[0]);
                    inFlight = false;
                    sendNext();
                } else if (m.contains("storage-unavailable")) {
                    inFlight = false;
                    holdUntil = System.currentTimeMillis() + num(m, "retryMs");
                }
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            synchronized (this) {
                ws = null;
                ready = false;
                inFlight = false;
            }
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            onClose(socket, -1, "");
        }

        static long num(String json, String key) {
            int i = json.indexOf("\"" + key + "\":") + key.length() + 3;
            int j = i;
            while (j < json.length() && (Character.isDigit(json.charAt(j)) || json.charAt(j) == '-')) j++;
            return Long.parseLong(json.substring(i, j));
        }

        void close() {
            WebSocket w = ws;
            if (w != null) w.abort();
        }
    }
}
