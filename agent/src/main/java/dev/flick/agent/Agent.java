package dev.flick.agent;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import dev.flick.collector.OshiCollector;
import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;

/**
 * Samples this machine every interval into the {@link Outbox} and keeps one WebSocket to the hub ({@link HubLink}):
 * authenticate, send host info, then send the oldest unacknowledged snapshots in batches and drop them only once the
 * hub acknowledges them. A lost hub means backoff with full jitter and, on return, a back-fill of everything
 * buffered, oldest first, before live samples (they queue behind it), so stored history has no gap. System-log lines
 * ({@link LogFollower}) go out only when no snapshot is waiting, at most {@link #LOG_LINES_PER_SECOND} a second, so
 * a log flood never delays metrics.
 *
 * <p>Protocol (JSON text frames): agent → {@code auth {token, agent, interval}}, {@code info {info}},
 * {@code snapshots {items: [snapshot…]}}, {@code logs {lines: [line…]}}, {@code ping}; hub → {@code ready {serverId}},
 * {@code ack {ts}} (snapshots), {@code ack {logs}} (lines), {@code error {code, message}}; close 4401 when the token
 * is wrong or revoked.
 */
final class Agent {

    static final String VERSION = "0.1.0";
    static final int BATCH_ITEMS = 120;
    static final int BATCH_CHARS = 512 * 1024;
    static final int LOG_LINES_PER_SECOND = 500;
    static final int LOG_BATCH_CHARS = 256 * 1024;
    /** Under a flood, lines go in batches of at least this many (5 a second at the rate limit), not one by one. */
    private static final int LOG_BATCH_MIN = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long ACK_WAIT_MS = 30_000;
    private static final long HEARTBEAT_MS = 30_000;
    private static final long LOG_REPORT_MS = 10_000;

    private final AgentSettings settings;
    private final Doorbell bell = new Doorbell();
    private final Outbox outbox;
    private final LogQueue logs;
    private final LogFollower follower;
    private final OshiCollector collector;
    private final Backoff backoff = new Backoff(1_000, 60_000);
    private final LogRate rate = new LogRate(LOG_LINES_PER_SECOND);
    /** One message buffer for every batch: a snapshot batch does not allocate its message anew. */
    private final StringBuilder message = new StringBuilder(16 * 1024);
    private volatile boolean running = true;
    private volatile String serverId = "";
    private long logsReportedAt;
    private long reportedDropped;
    private long reportedMalformed;

    Agent(AgentSettings settings) {
        this.settings = settings;
        this.outbox = new Outbox(settings.buffer(), bell);
        this.logs = new LogQueue(LogQueue.DEFAULT_LINES, LogQueue.DEFAULT_CHARS, bell);
        this.follower = settings.logs() == AgentSettings.LogMode.OFF ? null : new LogFollower(settings, logs);
        this.collector = new OshiCollector("agent");
    }

    void run() throws InterruptedException {
        Thread sampler = daemon("flick-agent-sampler", new Runnable() {
            @Override
            public void run() {
                sampleForever();
            }
        });
        if (follower != null) follower.start();
        log("FLick agent " + VERSION + " → " + settings.agentUri() + " every " + settings.interval().toMillis()
                + " ms, buffering up to " + settings.buffer() + " snapshots; system logs: "
                + settings.logs().name().toLowerCase(java.util.Locale.ROOT));
        try {
            while (running) {
                String problem = connectAndSend();
                if (!running) break;
                long delay = backoff.nextDelayMillis();
                log(problem + "; " + outbox.size() + " snapshots buffered" + (outbox.dropped() > 0 ? " (" + outbox.dropped()
                        + " oldest dropped)" : "") + "; reconnecting in " + delay + " ms");
                Thread.sleep(delay);
            }
        } finally {
            sampler.interrupt();
            if (follower != null) follower.stop();
            collector.close();
        }
    }

    void stop() {
        running = false;
        if (follower != null) follower.stop();
    }

    /** One connection's life; returns why it ended. */
    private String connectAndSend() throws InterruptedException {
        try (HubLink link = HubLink.open(settings.agentUri(), TIMEOUT)) {
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
            boolean hubTakesLogs = follower != null;
            long lastSent = System.currentTimeMillis();
            while (running) {
                if (outbox.size() > 0) {
                    List<Outbox.Entry> batch = outbox.oldest(BATCH_ITEMS, BATCH_CHARS);
                    long last = batch.get(batch.size() - 1).ts();
                    message.setLength(0);
                    message.append("{\"type\":\"snapshots\",\"items\":[");
                    for (int i = 0; i < batch.size(); i++) {
                        if (i > 0) message.append(',');
                        message.append(batch.get(i).json());
                    }
                    link.send(message.append("]}"));
                    lastSent = System.currentTimeMillis();
                    if (awaitAck(link, "ts", last) != Ack.RECEIVED) {
                        return "the hub did not acknowledge a batch within " + ACK_WAIT_MS / 1000 + " s";
                    }
                    outbox.acknowledge(last);
                    if (!acknowledgedOnce) {
                        acknowledgedOnce = true;
                        backoff.reset(); // only a connection that really carried data resets the backoff
                    }
                    continue;
                }
                long logWait = Long.MAX_VALUE;
                if (hubTakesLogs && logs.size() > 0) {
                    logWait = rate.millisUntil(Math.min(logs.size(), LOG_BATCH_MIN));
                    if (logWait == 0) {
                        Ack ack = sendLogs(link);
                        lastSent = System.currentTimeMillis();
                        if (ack == Ack.REFUSED) {
                            hubTakesLogs = false;
                            log("The hub does not take system logs (an older hub); they are not sent on this connection");
                        } else if (ack == Ack.MISSING) {
                            return "the hub did not acknowledge log lines within " + ACK_WAIT_MS / 1000 + " s";
                        }
                        continue;
                    }
                }
                reportLogs();
                long idle = HEARTBEAT_MS - (System.currentTimeMillis() - lastSent);
                if (idle <= 0) {
                    link.send("{\"type\":\"ping\",\"ts\":" + System.currentTimeMillis() + "}");
                    lastSent = System.currentTimeMillis();
                    drainNotices(link);
                    continue;
                }
                bell.await(Math.min(idle, logWait));
            }
            return "stopping";
        } catch (HubLink.Lost lost) {
            if (lost.code == 4401) {
                return "the hub refused the token (wrong, or revoked when the server was deleted or its token regenerated)";
            }
            return "connection to the hub lost (" + (lost.code > 0 ? lost.code + " " : "") + lost.getMessage() + ")";
        }
    }

    /** The oldest lines the rate allows, as one {@code logs} message; they leave the queue when acknowledged. */
    private Ack sendLogs(HubLink link) throws HubLink.Lost, InterruptedException {
        message.setLength(0);
        message.append("{\"type\":\"logs\",\"lines\":[");
        LogQueue.Batch batch = logs.oldest(Math.min(LOG_LINES_PER_SECOND, rate.available()), LOG_BATCH_CHARS, message);
        link.send(message.append("]}"));
        rate.take(batch.count());
        Ack ack = awaitAck(link, "logs", 0);
        if (ack == Ack.RECEIVED) logs.acknowledge(batch.end());
        return ack;
    }

    /** Says how many lines were dropped or unreadable, when that changed, at most every 10 s. */
    private void reportLogs() {
        if (follower == null) return;
        long now = System.currentTimeMillis();
        if (now - logsReportedAt < LOG_REPORT_MS) return;
        long dropped = logs.dropped();
        long malformed = logs.malformedCount();
        if (dropped == reportedDropped && malformed == reportedMalformed) return;
        logsReportedAt = now;
        reportedDropped = dropped;
        reportedMalformed = malformed;
        log("System logs: " + logs.added() + " lines read, " + dropped + " dropped (more than the buffer holds), "
                + malformed + " unreadable lines skipped");
    }

    private enum Ack { RECEIVED, MISSING, REFUSED }

    /** Waits for an {@code ack} whose {@code field} is at least {@code atLeast}; REFUSED when the hub does not know the message. */
    private Ack awaitAck(HubLink link, String field, long atLeast) throws HubLink.Lost, InterruptedException {
        long deadline = System.currentTimeMillis() + ACK_WAIT_MS;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return Ack.MISSING;
            String m = link.receive(left);
            if (m == null) return Ack.MISSING;
            String type = Messages.string(m, "type");
            if (type.equals("ack") && Messages.number(m, field) >= atLeast) return Ack.RECEIVED;
            if (type.equals("error")) {
                if (Messages.string(m, "code").equals("unknown-type")) return Ack.REFUSED;
                log("The hub reported: " + Messages.string(m, "message"));
            }
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
        System.err.println(stamp(System.currentTimeMillis()) + " " + line);
    }

    /** 2026-11-26T13:20:54.123Z, written by hand: Instant.toString would load java.time.format for one log line. */
    static String stamp(long millis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000) * 1_000_000, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(24).append(t.getYear()).append('-');
        two(b, t.getMonthValue()).append('-');
        two(b, t.getDayOfMonth()).append('T');
        two(b, t.getHour()).append(':');
        two(b, t.getMinute()).append(':');
        two(b, t.getSecond()).append('.');
        int ms = (int) Math.floorMod(millis, 1000);
        if (ms < 100) b.append('0');
        if (ms < 10) b.append('0');
        return b.append(ms).append('Z').toString();
    }

    private static StringBuilder two(StringBuilder b, int n) {
        return (n < 10 ? b.append('0') : b).append(n);
    }

    /**
     * A daemon platform thread with the JVM's small default stack. Bodies are written as classes rather than lambdas
     * across the agent: on a JVM without a class-data archive every lambda and concatenation site spins a class at
     * run time, and the agent's footprint is counted in megabytes (docs/PERFORMANCE.md).
     */
    static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(null, body, name, 0);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
