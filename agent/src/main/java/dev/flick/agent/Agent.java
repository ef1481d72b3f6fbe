package dev.flick.agent;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

import dev.flick.collector.OshiCollector;
import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;

/**
 * Samples this machine every interval into the {@link Outbox} and, on a second thread, keeps one WebSocket to the
 * hub: authenticate, send host info, then send the oldest unacknowledged snapshots in batches and drop them only
 * once the hub acknowledges them. A lost hub means backoff with full jitter and, on return, a back-fill of
 * everything buffered, oldest first, before live samples (they queue behind it), so stored history has no gap.
 *
 * <p>Protocol (JSON text frames): agent → {@code auth {token, agent, interval}}, {@code info {info}},
 * {@code snapshots {items: [snapshot…]}}, {@code ping}; hub → {@code ready {serverId}}, {@code ack {ts}},
 * {@code error {code, message}}; close 4401 when the token is wrong or revoked.
 */
final class Agent {

    static final String VERSION = "0.1.0";
    static final int BATCH_ITEMS = 120;
    static final int BATCH_CHARS = 512 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long ACK_WAIT_MS = 30_000;
    private static final long HEARTBEAT_MS = 30_000;

    private final AgentSettings settings;
    private final Outbox outbox;
    private final OshiCollector collector;
    private final Backoff backoff = new Backoff(1_000, 60_000);
    private volatile boolean running = true;
    private volatile String serverId = "";

    Agent(AgentSettings settings) {
        this.settings = settings;
        this.outbox = new Outbox(settings.buffer());
        this.collector = new OshiCollector("agent");
    }

    void run() throws InterruptedException {
        Thread sampler = Thread.ofPlatform().name("flick-agent-sampler").daemon().start(this::sampleForever);
        ExecutorService io = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("flick-agent-io").daemon().factory());
        HttpClient http = HubLink.client(io, TIMEOUT);
        log("FLick agent " + VERSION + " → " + settings.agentUri() + " every " + settings.interval().toMillis()
                + " ms, buffering up to " + settings.buffer() + " snapshots");
        try {
            while (running) {
                String problem = connectAndSend(http);
                if (!running) break;
                long delay = backoff.nextDelayMillis();
                log(problem + "; " + outbox.size() + " snapshots buffered" + (outbox.dropped() > 0 ? " (" + outbox.dropped()
                        + " oldest dropped)" : "") + "; reconnecting in " + delay + " ms");
                Thread.sleep(delay);
            }
        } finally {
            sampler.interrupt();
            io.shutdownNow();
            collector.close();
        }
    }

    void stop() {
        running = false;
    }

    /** One connection's life; returns why it ended. */
    private String connectAndSend(HttpClient http) throws InterruptedException {
        try (HubLink link = HubLink.open(http, settings.agentUri(), TIMEOUT)) {
            link.send("{\"type\":\"auth\",\"token\":" + quote(settings.token()) + ",\"agent\":\"" + VERSION
                    + "\",\"interval\":" + settings.interval().toMillis() + "}");
            String ready = awaitType(link, "ready", TIMEOUT.toMillis());
            if (ready == null) return "the hub did not answer the authentication within " + TIMEOUT.toSeconds() + " s";
            String id = Messages.string(ready, "serverId");
            if (!id.equals(serverId)) {
                serverId = id;
                log("Connected as server " + id);
            } else {
                log("Reconnected");
            }
            link.send("{\"type\":\"info\",\"info\":" + SnapshotJson.write(collector.hostInfo()) + "}");
            boolean acknowledgedOnce = false;
            long lastSent = System.currentTimeMillis();
            while (running) {
                if (!outbox.awaitAny(Math.max(0, HEARTBEAT_MS - (System.currentTimeMillis() - lastSent)))) {
                    link.send("{\"type\":\"ping\",\"ts\":" + System.currentTimeMillis() + "}");
                    lastSent = System.currentTimeMillis();
                    drainNotices(link);
                    continue;
                }
                List<Outbox.Entry> batch = outbox.oldest(BATCH_ITEMS, BATCH_CHARS);
                long last = batch.get(batch.size() - 1).ts();
                StringBuilder message = new StringBuilder(batch.size() * 3_000).append("{\"type\":\"snapshots\",\"items\":[");
                for (int i = 0; i < batch.size(); i++) {
                    if (i > 0) message.append(',');
                    message.append(batch.get(i).json());
                }
                link.send(message.append("]}").toString());
                lastSent = System.currentTimeMillis();
                if (!awaitAck(link, last)) return "the hub did not acknowledge a batch within " + ACK_WAIT_MS / 1000 + " s";
                outbox.acknowledge(last);
                if (!acknowledgedOnce) {
                    acknowledgedOnce = true;
                    backoff.reset(); // only a connection that really carried data resets the backoff
                }
            }
            return "stopping";
        } catch (HubLink.Lost lost) {
            if (lost.code == 4401) {
                return "the hub refused the token (wrong, or revoked when the server was deleted or its token regenerated)";
            }
            return "connection to the hub lost (" + (lost.code > 0 ? lost.code + " " : "") + lost.getMessage() + ")";
        }
    }

    private boolean awaitAck(HubLink link, long ts) throws HubLink.Lost, InterruptedException {
        long deadline = System.currentTimeMillis() + ACK_WAIT_MS;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            String m = link.receive(left);
            if (m == null) return false;
            String type = Messages.string(m, "type");
            if (type.equals("ack") && Messages.number(m, "ts") >= ts) return true;
            if (type.equals("error")) log("The hub reported: " + Messages.string(m, "message"));
        }
    }

    private String awaitType(HubLink link, String type, long millis) throws HubLink.Lost, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return null;
            String m = link.receive(left);
            if (m == null) return null;
            if (Messages.string(m, "type").equals(type)) return m;
            if (Messages.string(m, "type").equals("error")) log("The hub reported: " + Messages.string(m, "message"));
        }
    }

    private void drainNotices(HubLink link) throws HubLink.Lost, InterruptedException {
        String m;
        while ((m = link.receive(0)) != null) {
            if (Messages.string(m, "type").equals("error")) log("The hub reported: " + Messages.string(m, "message"));
        }
    }

    /** A fixed beat from the start, not sleep-after-work, so the interval does not drift by each sample's cost. */
    private void sampleForever() {
        long period = settings.interval().toNanos();
        long next = System.nanoTime() + period;
        while (running && !Thread.currentThread().isInterrupted()) {
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.currentThread().isInterrupted()) return;
            }
            next += period;
            long behind = System.nanoTime() - next;
            if (behind > period) next += (behind / period) * period; // suspended (laptop lid, SIGSTOP): skip, do not burst
            try {
                Snapshot s = collector.sample();
                outbox.add(s.ts(), SnapshotJson.write(s));
            } catch (RuntimeException e) {
                // One bad sample must not end collection.
                log("Sample failed: " + e);
            }
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static void log(String line) {
        System.err.println(Instant.now() + " " + line);
    }
}
