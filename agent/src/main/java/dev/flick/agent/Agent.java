package dev.flick.agent;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import dev.flick.collector.OshiCollector;
import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;

/**
 * Samples this machine every interval into the {@link DiskOutbox} and keeps one WebSocket to the hub ({@link HubLink}):
 * authenticate, send host info, then send the oldest unacknowledged snapshots in batches; they leave the outbox only
 * once the hub acknowledges them. A lost hub (or a restart of the agent itself) means back-fill of everything kept,
 * oldest first, before live samples (they queue behind it), so stored history has no gap. System-log lines
 * ({@link LogFollower}) go out only when no snapshot is waiting, at most {@link #LOG_LINES_PER_SECOND} a second, so
 * a log flood never delays metrics.
 *
 * <p>Protocol 2 (JSON text frames, docs/durability.md): agent → {@code auth {token, agent, interval, clock}},
 * {@code info {info}}, {@code snapshots {items: [snapshot…]}}, {@code live {item}}, {@code logs {lines: [line…]}},
 * {@code ping}, and {@code time {h, a1, a2}} answering the hub's probes (in {@link HubLink}'s reader); hub →
 * {@code time {h}}, {@code ready {serverId, clockOffsetMs}}, {@code ack {ts, refused: [{ts, code, message}]}}
 * (snapshots), {@code ack {logs}} (lines), {@code error {code, message, retryMs}}; close 4401 when the token is wrong
 * or revoked. While the hub answers {@code storage-unavailable} the batch is kept, each new sample goes as
 * {@code live} (shown, never stored), and the oldest batch is tried again after {@code retryMs}.
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
    /** {@code retryMs} of a storage-unavailable error is kept within these. */
    private static final long RETRY_MIN_MS = 100, RETRY_MAX_MS = 300_000, RETRY_DEFAULT_MS = 5_000;
    /** Refused snapshots logged one by one per batch; the rest are counted. */
    private static final int REFUSED_LOGGED = 3;

    private final AgentSettings settings;
    private final Doorbell bell = new Doorbell();
    private final DiskOutbox outbox;
    private final LogQueue logs;
    private final LogFollower follower;
    private final OshiCollector collector;
    private final Backoff backoff = new Backoff(1_000, 60_000);
    private int hubIndex; // which of settings.agentUris() the next connection tries
    private int failedInRow; // connections that failed since one last carried data
    private final LogRate rate = new LogRate(LOG_LINES_PER_SECOND);
    /** One message buffer for every batch: a snapshot batch does not allocate its message anew. */
    private final StringBuilder message = new StringBuilder(16 * 1024);
    private volatile boolean running = true;
    private volatile String serverId = "";
    private long logsReportedAt;
    private long reportedDropped;
    private long reportedMalformed;
    /** The hub's last ack or error while awaiting one. */
    private String reply;
    /** Until when the hub said it cannot store (0: it can); since when. */
    private long storageRetryAt;
    private long storageDownSince;
    private long reportedOffset;

    /** Opens the outbox; throws {@link DiskOutbox.InUse} when another agent holds its directory. */
    Agent(AgentSettings settings) {
        this.settings = settings;
        this.outbox = DiskOutbox.open(settings.outboxDir().toFile(), settings.outboxMaxAge().toMillis(),
                settings.outboxMaxBytes(), settings.buffer(), bell);
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
        log("FLick agent " + VERSION + " → " + hubs() + " every " + settings.interval().toMillis()
                + " ms; outbox " + outbox.dir() + " (up to " + settings.outboxMaxAge().toMinutes() + " min and "
                + settings.outboxMaxBytes() / 1_000_000 + " MB); system logs: "
                + settings.logs().name().toLowerCase(java.util.Locale.ROOT));
        try {
            while (running) {
                URI hub = settings.agentUris().get(hubIndex);
                String problem = connectAndSend(hub);
                if (!running) break;
                long delay = nextHub();
                URI next = settings.agentUris().get(hubIndex);
                log(problem + "; " + outbox.size() + " snapshots kept" + (outbox.dropped() > 0 ? " (" + outbox.dropped()
                        + " oldest dropped at the bounds)" : "") + "; reconnecting" + (next.equals(hub) ? "" : " to " + next)
                        + " in " + delay + " ms");
                Thread.sleep(delay);
            }
        } finally {
            running = false;
            sampler.interrupt();
            if (follower != null) follower.stop();
            try {
                sampler.join(2_000);
            } finally {
                outbox.close();
                collector.close();
            }
        }
    }

    void stop() {
        running = false;
        bell.ring();
        if (follower != null) follower.stop();
    }

    /**
     * After a failed connection: moves on to the next hub and says how long to wait first. Trying another hub waits
     * only a jittered second; once every hub failed in a row, the exponential backoff applies as with one hub.
     */
    private long nextHub() {
        int hubs = settings.agentUris().size();
        hubIndex = (hubIndex + 1) % hubs;
        failedInRow++;
        if (hubs > 1 && failedInRow % hubs != 0) return ThreadLocalRandom.current().nextLong(1_001);
        return backoff.nextDelayMillis();
    }

    private String hubs() {
        StringBuilder out = new StringBuilder();
        for (URI u : settings.agentUris()) out.append(out.isEmpty() ? "" : ", ").append(u);
        return out.toString();
    }

    /** One connection's life; returns why it ended. */
    private String connectAndSend(URI hub) throws InterruptedException {
        try (HubLink link = HubLink.open(hub, TIMEOUT)) {
            link.send("{\"type\":\"auth\",\"token\":" + quote(settings.token()) + ",\"agent\":\"" + VERSION
                    + "\",\"interval\":" + settings.interval().toMillis() + ",\"clock\":" + System.currentTimeMillis() + "}");
            String ready = awaitType(link, "ready", TIMEOUT.toMillis());
            if (ready == null) return "the hub did not answer the authentication within " + TIMEOUT.toSeconds() + " s";
            String id = Messages.string(ready, "serverId");
            if (!id.equals(serverId)) {
                serverId = id;
                log("Connected as server " + id + (settings.agentUris().size() > 1 ? " on " + hub : ""));
            } else {
                log("Reconnected" + (settings.agentUris().size() > 1 ? " to " + hub : ""));
            }
            reportClock(Messages.number(ready, "clockOffsetMs", 0));
            link.send("{\"type\":\"info\",\"info\":" + SnapshotJson.write(collector.hostInfo()) + "}");
            boolean acknowledgedOnce = false;
            boolean hubTakesLogs = follower != null;
            long lastSent = System.currentTimeMillis();
            long liveSeq = -1;
            while (running) {
                long now = System.currentTimeMillis();
                boolean storageDown = now < storageRetryAt;
                if (storageDown) {
                    // The hub cannot store: the kept batch waits, the newest sample is shown live.
                    DiskOutbox.Entry newest = outbox.newest();
                    if (newest != null && newest.seq() > liveSeq) {
                        liveSeq = newest.seq();
                        message.setLength(0);
                        link.send(message.append("{\"type\":\"live\",\"item\":").append(newest.json()).append('}'));
                        lastSent = System.currentTimeMillis();
                    }
                    drainNotices(link);
                } else if (outbox.size() > 0) {
                    List<DiskOutbox.Entry> batch = outbox.oldest(BATCH_ITEMS, BATCH_CHARS);
                    if (batch.isEmpty()) continue; // dropped at a bound meanwhile
                    message.setLength(0);
                    message.append("{\"type\":\"snapshots\",\"items\":[");
                    for (int i = 0; i < batch.size(); i++) {
                        if (i > 0) message.append(',');
                        message.append(batch.get(i).json());
                    }
                    link.send(message.append("]}"));
                    lastSent = System.currentTimeMillis();
                    Ack ack = awaitAck(link, "ts");
                    if (ack == Ack.UNAVAILABLE) {
                        storageUnavailable();
                        continue;
                    }
                    if (ack != Ack.RECEIVED) {
                        return "the hub did not acknowledge a batch within " + ACK_WAIT_MS / 1000 + " s";
                    }
                    if (acknowledge(batch, reply) == 0) {
                        return "the hub acknowledged ts " + Messages.number(reply, "ts") + ", before the batch it was sent";
                    }
                    if (storageDownSince > 0) {
                        log("The hub stores snapshots again (unavailable for " + (System.currentTimeMillis() - storageDownSince) / 1000
                                + " s); " + outbox.size() + " kept snapshots follow");
                        storageDownSince = 0;
                    }
                    if (!acknowledgedOnce) {
                        acknowledgedOnce = true;
                        backoff.reset(); // only a connection that really carried data resets the backoff
                        failedInRow = 0;
                    }
                    continue;
                }
                long logWait = Long.MAX_VALUE;
                if (!storageDown && hubTakesLogs && logs.size() > 0) {
                    logWait = rate.millisUntil(Math.min(logs.size(), LOG_BATCH_MIN));
                    if (logWait == 0) {
                        Ack ack = sendLogs(link);
                        lastSent = System.currentTimeMillis();
                        if (ack == Ack.REFUSED) {
                            hubTakesLogs = false;
                            log("The hub does not take system logs (an older hub); they are not sent on this connection");
                        } else if (ack == Ack.MISSING) {
                            return "the hub did not acknowledge log lines within " + ACK_WAIT_MS / 1000 + " s";
                        } else if (ack == Ack.UNAVAILABLE) {
                            storageUnavailable();
                        }
                        continue;
                    }
                }
                reportLogs();
                now = System.currentTimeMillis();
                long idle = HEARTBEAT_MS - (now - lastSent);
                if (idle <= 0) {
                    link.send("{\"type\":\"ping\",\"ts\":" + now + "}");
                    lastSent = System.currentTimeMillis();
                    drainNotices(link);
                    continue;
                }
                long wait = Math.min(idle, logWait);
                if (storageDown) wait = Math.min(wait, Math.max(1, storageRetryAt - now));
                bell.await(wait);
            }
            return "stopping";
        } catch (HubLink.Lost lost) {
            if (lost.code == 4401) {
                return "the hub refused the token (wrong, or revoked when the server was deleted or its token regenerated)";
            }
            return "connection to the hub lost (" + (lost.code > 0 ? lost.code + " " : "") + lost.getMessage() + ")";
        }
    }

    /**
     * Applies an ack to the batch it answers: the items up to its {@code ts} leave the outbox, those it lists as
     * refused go to refused.jsonl first. Returns how many left.
     */
    private int acknowledge(List<DiskOutbox.Entry> batch, String ack) {
        long ts = Messages.number(ack, "ts");
        List<String> refused = Messages.objects(ack, "refused");
        long[] refusedTs = new long[refused.size()];
        for (int i = 0; i < refusedTs.length; i++) refusedTs[i] = Messages.number(refused.get(i), "ts");
        int n = 0;
        while (n < batch.size() && (batch.get(n).ts() <= ts || contains(refusedTs, batch.get(n).ts()))) n++;
        if (n == 0) return 0;
        int logged = 0;
        for (String r : refused) {
            long rts = Messages.number(r, "ts");
            String code = Messages.string(r, "code");
            String why = Messages.string(r, "message");
            for (int i = 0; i < n; i++) {
                DiskOutbox.Entry e = batch.get(i);
                if (e.ts() != rts) continue;
                outbox.refused(e, code, why);
                if (logged++ < REFUSED_LOGGED) {
                    log("The hub refused the snapshot of " + stamp(rts) + " (" + code + "): " + why + "; kept in "
                            + DiskOutbox.REFUSED);
                }
            }
        }
        if (logged > REFUSED_LOGGED) log("… and " + (logged - REFUSED_LOGGED) + " more refused in that batch");
        DiskOutbox.Entry last = batch.get(n - 1);
        outbox.acknowledge(last.seq(), last.ts());
        return n;
    }

    private static boolean contains(long[] values, long v) {
        for (long x : values) {
            if (x == v) return true;
        }
        return false;
    }

    /** The hub said it cannot store now: keep everything, try again after its retryMs; logged once per episode. */
    private void storageUnavailable() {
        long now = System.currentTimeMillis();
        long retry = Messages.number(reply, "retryMs", RETRY_DEFAULT_MS);
        retry = Math.max(RETRY_MIN_MS, Math.min(RETRY_MAX_MS, retry));
        storageRetryAt = now + retry;
        if (storageDownSince == 0) {
            storageDownSince = now;
            log("The hub cannot store snapshots now (" + Messages.string(reply, "message") + "); keeping " + outbox.size()
                    + " and sending new ones live until it can (retry every " + retry + " ms)");
        }
    }

    /** Says how far off the hub finds this machine's clock, when over a second and when it changed by a second. */
    private void reportClock(long offset) {
        if (Math.abs(offset) <= 1_000 || Math.abs(offset - reportedOffset) <= 1_000) {
            if (Math.abs(offset) <= 1_000) reportedOffset = 0;
            return;
        }
        reportedOffset = offset;
        long tenths = Math.round(Math.abs(offset) / 100.0);
        log("The hub measures this machine's clock " + tenths / 10 + "." + tenths % 10 + " s " + (offset > 0 ? "ahead" : "behind")
                + "; snapshots are stored at hub time");
    }

    /** The oldest lines the rate allows, as one {@code logs} message; they leave the queue when acknowledged. */
    private Ack sendLogs(HubLink link) throws HubLink.Lost, InterruptedException {
        message.setLength(0);
        message.append("{\"type\":\"logs\",\"lines\":[");
        LogQueue.Batch batch = logs.oldest(Math.min(LOG_LINES_PER_SECOND, rate.available()), LOG_BATCH_CHARS, message);
        link.send(message.append("]}"));
        rate.take(batch.count());
        Ack ack = awaitAck(link, "logs");
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

    private enum Ack { RECEIVED, MISSING, REFUSED, UNAVAILABLE }

    /**
     * Waits for an {@code ack} carrying {@code field} (kept in {@link #reply}); UNAVAILABLE for a storage-unavailable
     * error, REFUSED when the hub does not know the message. Other errors are logged and the wait goes on.
     */
    private Ack awaitAck(HubLink link, String field) throws HubLink.Lost, InterruptedException {
        long deadline = System.currentTimeMillis() + ACK_WAIT_MS;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return Ack.MISSING;
            String m = link.receive(left);
            if (m == null) return Ack.MISSING;
            String type = Messages.string(m, "type");
            if (type.equals("ack") && Messages.number(m, field, Long.MIN_VALUE) != Long.MIN_VALUE) {
                reply = m;
                return Ack.RECEIVED;
            }
            if (type.equals("error")) {
                String code = Messages.string(m, "code");
                if (code.equals("storage-unavailable")) {
                    reply = m;
                    return Ack.UNAVAILABLE;
                }
                if (code.equals("unknown-type")) return Ack.REFUSED;
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
