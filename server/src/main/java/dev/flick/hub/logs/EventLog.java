package dev.flick.hub.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where every log line goes: the hub's audit events and the system logs that collectors follow. Lines queue in a
 * bounded buffer written in batches by one thread, so a flood of logs cannot slow collection or metrics; what a full
 * buffer refuses is counted.
 */
@Component
public class EventLog {

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    private static final int CAPACITY = 50_000;
    private static final String INSERT =
            "INSERT INTO logs (ts, server_id, source, level, unit, message, actor, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private final BlockingQueue<LogEntry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final List<Consumer<LogEntry>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private final Thread writer;

    EventLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.writer = Thread.ofPlatform().name("flick-log-writer").daemon().start(this::run);
    }

    /** Records a hub event: sign-ins, changes, connects, alert transitions. */
    public void hub(String level, String message, String actor, String target, String serverId) {
        append(LogEntry.hub(level, escapeBreaks(message), escapeBreaks(actor), escapeBreaks(target), serverId));
    }

    /**
     * CR and LF (and other control characters) as visible escapes: hub events quote names people chose (servers,
     * users, rules), and a line break in one must not forge a second log line.
     */
    public static String escapeBreaks(String s) {
        if (s == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c < 0x20 && c != '\t' || c == 0x7f || c == 0x2028 || c == 0x2029
                    ? String.format("\\u%04x", (int) c) : null;
            if (esc != null && out == null) out = new StringBuilder(s.length() + 8).append(s, 0, i);
            if (out != null) {
                if (esc != null) out.append(esc);
                else out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** Queues one line; never blocks. Returns false (and counts it) when the buffer is full. */
    public boolean append(LogEntry entry) {
        if (queue.offer(entry)) return true;
        dropped.incrementAndGet();
        return false;
    }

    public long dropped() {
        return dropped.get();
    }

    /** Told of every line after it is stored (live tail). */
    public void onStored(Consumer<LogEntry> listener) {
        listeners.add(listener);
    }

    private void run() {
        List<LogEntry> batch = new ArrayList<>(1_000);
        long failingSince = 0;
        long backoff = 500;
        while (running) {
            try {
                if (batch.isEmpty()) {
                    LogEntry first = queue.poll(250, TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    batch.add(first);
                    queue.drainTo(batch, 999);
                }
                write(batch);
                batch.clear();
                backoff = 500;
                if (failingSince != 0) {
                    log.info("Log lines are stored again after {} s", (System.currentTimeMillis() - failingSince) / 1000);
                    failingSince = 0;
                }
            } catch (InterruptedException e) {
                if (!running) break;
            } catch (RuntimeException e) {
                // Kept and retried: lines wait in the bounded buffer meanwhile (what it refuses is counted).
                if (failingSince == 0) {
                    failingSince = System.currentTimeMillis();
                    log.error("Storing log lines failed: {}; retrying, {} lines waiting", rootMessage(e), batch.size() + queue.size());
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    if (!running) break;
                }
                backoff = Math.min(10_000, backoff * 2);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return String.valueOf(root.getMessage()).strip();
    }

    private void write(List<LogEntry> batch) {
        jdbc.batchUpdate(INSERT, batch, batch.size(), (ps, e) -> {
            ps.setLong(1, e.ts());
            ps.setString(2, e.serverId());
            ps.setString(3, e.source());
            ps.setString(4, e.level());
            ps.setString(5, e.unit());
            ps.setString(6, e.message());
            ps.setString(7, e.actor());
            ps.setString(8, e.target());
        });
        for (LogEntry e : batch) {
            for (var l : listeners) l.accept(e);
        }
    }

    /** Waits until everything queued so far is stored (tests, shutdown). */
    public void flush() {
        for (int i = 0; i < 100 && !queue.isEmpty(); i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @PreDestroy
    void close() {
        running = false;
        writer.interrupt();
        List<LogEntry> rest = new ArrayList<>();
        queue.drainTo(rest);
        if (!rest.isEmpty()) {
            try {
                write(rest);
            } catch (RuntimeException e) {
                log.warn("Final log flush failed: {}", e.getMessage());
            }
        }
    }
}
