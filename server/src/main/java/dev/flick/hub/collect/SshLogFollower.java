package dev.flick.hub.collect;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.flick.collector.LogLine;
import dev.flick.collector.LogLines;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.logs.LogEntry;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one SSH server's system log on its own channel of the watch's session, beside the sampler:
 * {@code journalctl -f -o json -n 0}, else {@code tail -F -n 0} of the first readable syslog file. Lines become
 * {@link LogEntry}s for {@link EventLog#append}. It never holds the sampler up: it has its own thread and channel,
 * keeps at most {@link SshSettings#logLinesPerSecond()} lines a second (the rest are read, dropped and counted),
 * skips and counts lines it cannot read, and restarts a source that ended with backoff while the session lives.
 */
final class SshLogFollower {

    private static final Logger log = LoggerFactory.getLogger(SshLogFollower.class);
    /** Longer lines are cut off, counted as malformed and skipped: journald itself keeps messages far shorter. */
    static final int MAX_LINE = 64 * 1024;
    private static final long REPORT_EVERY_MILLIS = 60_000;

    private final String serverId;
    private final ClientSession session;
    private final SshSettings settings;
    private final EventLog eventLog;
    final AtomicLong stored = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;
    private volatile ChannelExec channel;
    private Thread thread;
    private long reportedMalformed;
    private long reportedDropped;
    private long lastReport = System.currentTimeMillis();

    SshLogFollower(String serverId, ClientSession session, SshSettings settings, EventLog eventLog) {
        this.serverId = serverId;
        this.session = session;
        this.settings = settings;
        this.eventLog = eventLog;
    }

    /**
     * The shell program: a header line saying what follows ("@@journal", or "@@syslog OFFSET PATH" with the target's
     * UTC offset for the classic format's zone-less times), then the lines. journalctl that fails falls through to
     * the files. Paths are plain (checked in {@link SshSettings}), so they need no quoting.
     */
    static String script(SshSettings settings) {
        StringBuilder s = new StringBuilder("LC_ALL=C; export LC_ALL\n")
                .append("if command -v journalctl >/dev/null 2>&1; then\n")
                .append("  echo @@journal\n")
                .append("  journalctl -f -q -o json -n 0 </dev/null\n")
                .append("  echo \"journalctl ended with status $?\" >&2\n")
                .append("fi\n")
                .append("for f in");
        for (String path : settings.syslogPaths()) s.append(' ').append(path);
        return s.append("; do\n")
                .append("  if [ -r $f ]; then echo \"@@syslog $(date +%z) $f\"; exec tail -F -n 0 $f </dev/null; fi\n")
                .append("done\n")
                .append("echo \"no system log to follow: no journalctl and none of")
                .append(String.join(", ", settings.syslogPaths())).append(" is readable\" >&2\n")
                .append("exit 3\n").toString();
    }

    void start() {
        thread = Thread.ofVirtual().name("flick-ssh-logs-" + serverId).start(this::loop);
    }

    void stop() {
        running = false;
        ChannelExec c = channel;
        if (c != null) c.close(true);
        if (thread != null) thread.interrupt();
    }

    private void loop() {
        int attempt = 0;
        while (running && session.isOpen()) {
            long started = System.currentTimeMillis();
            String why;
            try {
                why = follow();
            } catch (IOException | RuntimeException e) {
                why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            report(true);
            if (!running || !session.isOpen()) return;
            // A source that ran for a while earns a quick restart; one that keeps failing backs off to a minute.
            if (System.currentTimeMillis() - started > 60_000) attempt = 0;
            long ceiling = Math.min(60_000, 1_000L << Math.min(attempt++, 6));
            log.info("SSH server {}: the system log source ended ({}); following again within {} s", serverId, why, ceiling / 1000);
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Runs one source until it ends; returns why it ended. */
    private String follow() throws IOException {
        SshWatch.BoundedBuffer stderr = new SshWatch.BoundedBuffer(1_024);
        try (ChannelExec c = session.createExecChannel(dev.flick.collector.ProcScript.SH)) {
            channel = c;
            c.setIn(new ByteArrayInputStream(script(settings).getBytes(StandardCharsets.UTF_8)));
            c.setErr(stderr);
            c.open().verify(SshWatch.CONNECT_TIMEOUT);
            Reader in = new BufferedReader(new InputStreamReader(c.getInvertedOut(), StandardCharsets.UTF_8), 64 * 1024);
            StringBuilder line = new StringBuilder(256);
            Source source = null;
            long windowStart = 0;
            int inWindow = 0;
            while (running) {
                int length = readLine(in, line);
                if (length < 0) break;
                if (length > MAX_LINE) {
                    malformed.incrementAndGet();
                    continue;
                }
                String text = line.toString();
                if (text.startsWith("@@")) {
                    Source header = Source.of(text);
                    if (header != null && (source == null || (!source.syslog && header.syslog))) {
                        source = header;
                        continue;
                    }
                }
                if (source == null) {
                    malformed.incrementAndGet();
                    continue;
                }
                long now = System.currentTimeMillis();
                if (now - windowStart >= 1_000) {
                    windowStart = now;
                    inWindow = 0;
                }
                if (++inWindow > settings.logLinesPerSecond()) {
                    dropped.incrementAndGet();
                    continue;
                }
                Optional<LogLine> parsed = source.parse(text, now);
                if (parsed.isEmpty()) {
                    malformed.incrementAndGet();
                    continue;
                }
                LogLine l = parsed.get();
                if (eventLog.append(new LogEntry(l.ts(), serverId, l.source(), l.level(), l.unit(), l.message(), null, null))) {
                    stored.incrementAndGet();
                } else {
                    dropped.incrementAndGet();
                }
                if (now - lastReport > REPORT_EVERY_MILLIS) report(false);
            }
            String err = stderr.toString(StandardCharsets.UTF_8).strip();
            return err.isEmpty() ? "the channel closed" : err.lines().reduce((a, b) -> b).orElse(err);
        } finally {
            channel = null;
        }
    }

    /**
     * Reads one line into {@code line} (without its end), keeping at most {@link #MAX_LINE} + 1 characters.
     *
     * @return the line's full length, or -1 at the end of the stream
     */
    static int readLine(Reader in, StringBuilder line) throws IOException {
        line.setLength(0);
        int length = 0;
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') return length;
            if (length++ <= MAX_LINE && c != '\r') line.append((char) c);
        }
        return length == 0 ? -1 : length;
    }

    /** Puts skipped and dropped lines where an admin sees them: the hub's log, at most once a minute. */
    private synchronized void report(boolean now) {
        long m = malformed.get(), d = dropped.get();
        if (m == reportedMalformed && d == reportedDropped) return;
        if (!now && System.currentTimeMillis() - lastReport < REPORT_EVERY_MILLIS) return;
        eventLog.hub("warning", "System log: " + (m - reportedMalformed) + " unreadable line(s) skipped, " + (d - reportedDropped)
                + " line(s) dropped (over " + settings.logLinesPerSecond() + " a second or a full buffer)", null, "server:" + serverId, serverId);
        reportedMalformed = m;
        reportedDropped = d;
        lastReport = System.currentTimeMillis();
    }

    /** What the follower said it is reading. */
    private record Source(boolean syslog, ZoneId zone) {

        static Source of(String header) {
            if (header.equals("@@journal")) return new Source(false, ZoneOffset.UTC);
            if (!header.startsWith("@@syslog ")) return null;
            String[] parts = header.split(" ", 3);
            try {
                return new Source(true, ZoneOffset.of(parts[1]));
            } catch (RuntimeException e) {
                return new Source(true, ZoneOffset.UTC);
            }
        }

        Optional<LogLine> parse(String text, long now) {
            if (!syslog) return LogLines.fromJournalJson(text);
            int year = Instant.ofEpochMilli(now).atZone(zone).getYear();
            Optional<LogLine> line = LogLines.fromSyslog(text, year, zone);
            // Classic lines carry no year: one stamped days ahead was written last December.
            if (line.isPresent() && line.get().ts() > now + Duration.ofDays(2).toMillis()) line = LogLines.fromSyslog(text, year - 1, zone);
            return line;
        }
    }
}
