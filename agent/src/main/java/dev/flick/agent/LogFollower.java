package dev.flick.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Year;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import dev.flick.collector.LogLine;
import dev.flick.collector.LogLines;

/**
 * Follows this machine's system log on its own thread and puts each line into the {@link LogQueue}: journald through
 * {@code journalctl -f -o json -n 0} as a child process, or a syslog file ({@link SyslogTail}) when there is no
 * journalctl or it fails before giving a line (in {@code auto} mode). A source that ends or disappears is started
 * again after a backoff with full jitter (journalctl from the last entry's cursor); a line that does not parse is
 * counted and skipped. Nothing here can block
 * the sampler or the link: the queue never waits, and the follower only ever waits for its own source.
 */
final class LogFollower {

    static final List<Path> SYSLOG_FILES = List.of(Path.of("/var/log/syslog"), Path.of("/var/log/messages"));
    /** Where journald keeps its files: volatile, then persistent; one directory per machine id inside. */
    private static final Path[] JOURNAL_DIRS = {Path.of("/run/log/journal"), Path.of("/var/log/journal")};
    private static final long POLL_MS = 500;
    private static final int MAX_REPORTED_UNREADABLE = 3;

    private final AgentSettings settings;
    private final LogQueue queue;
    private final Backoff backoff = new Backoff(1_000, 60_000);
    private final ZoneId zone = ZoneId.systemDefault();
    private volatile boolean running = true;
    private volatile Process child;
    private Thread thread;
    /** Lines parsed from the current source since it started; tells "journalctl works" from "it failed at once". */
    private long parsedFromSource;
    private int unreadableReported;
    private String lastEnded = "";
    /** The journal position of the last line read, so a restarted journalctl goes on from there. */
    private String cursor = "";

    LogFollower(AgentSettings settings, LogQueue queue) {
        this.settings = settings;
        this.queue = queue;
    }

    void start() {
        thread = Agent.daemon("flick-agent-logs", new Runnable() {
            @Override
            public void run() {
                followForever();
            }
        });
    }

    void stop() {
        running = false;
        Process p = child;
        if (p != null) p.destroy();
        if (thread != null) thread.interrupt();
    }

    private void followForever() {
        AgentSettings.LogMode mode = settings.logs();
        boolean journalFailed = false; // auto: journalctl failed before any line, so syslog files are used instead
        boolean seenSyslog = false;    // a file followed before is read from its start when it comes back (rotated)
        while (running) {
            String ended;
            boolean useJournal = mode == AgentSettings.LogMode.JOURNAL
                    || (mode == AgentSettings.LogMode.AUTO && !journalFailed && journalAvailable());
            try {
                parsedFromSource = 0;
                if (useJournal) {
                    ended = followJournal();
                    if (mode == AgentSettings.LogMode.AUTO && parsedFromSource == 0 && running) {
                        Optional<Path> file = syslogFile();
                        if (file.isPresent()) {
                            journalFailed = true;
                            Agent.log("System logs: the journal gave nothing (" + ended + "); following " + file.get() + " instead");
                            continue;
                        }
                    }
                } else {
                    Optional<Path> file = syslogFile();
                    if (file.isEmpty()) {
                        ended = "no syslog file (" + (settings.syslogFile() != null ? settings.syslogFile() : "/var/log/syslog, /var/log/messages") + ")";
                        journalFailed = false; // try the journal again next time in auto mode
                    } else {
                        boolean fromStart = seenSyslog;
                        seenSyslog = true;
                        ended = followFile(file.get(), fromStart);
                    }
                }
            } catch (IOException e) {
                ended = HubLink.describe(e);
            } catch (InterruptedException e) {
                return;
            }
            if (!running) return;
            if (parsedFromSource > 0) backoff.reset();
            long delay = backoff.nextDelayMillis();
            // The same reason again (no log file on this host, minute after minute) is said once.
            if (!ended.equals(lastEnded)) Agent.log("System logs: " + ended + "; trying again with backoff (now " + delay + " ms)");
            lastEnded = ended;
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A journal command was given, or journalctl is on the PATH and journald has written a journal here. */
    private boolean journalAvailable() {
        if (settings.journalCommand() != null) return true;
        if (!hasEntries(JOURNAL_DIRS[0]) && !hasEntries(JOURNAL_DIRS[1])) return false; // journalctl -f would wait forever
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "journalctl"))) return true;
        }
        return false;
    }

    private static boolean hasEntries(Path dir) {
        try (var entries = Files.newDirectoryStream(dir)) {
            return entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<Path> syslogFile() {
        if (settings.syslogFile() != null) return Files.isReadable(settings.syslogFile()) ? Optional.of(settings.syslogFile()) : Optional.empty();
        for (Path file : SYSLOG_FILES) {
            if (Files.isReadable(file)) return Optional.of(file);
        }
        return Optional.empty();
    }

    /** Runs journalctl (or the configured command) until it ends; returns how it ended. */
    private String followJournal() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (settings.journalCommand() != null) command.addAll(List.of("/bin/sh", "-c", settings.journalCommand()));
        else if (cursor.isEmpty()) command.addAll(List.of("journalctl", "-f", "-o", "json", "-n", "0"));
        else command.addAll(List.of("journalctl", "-f", "-o", "json", "--after-cursor", cursor)); // a restart misses nothing
        // stderr joins stdout: journalctl's complaints show up as unreadable lines, the first few of them in the log.
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (settings.journalCommand() != null) builder.environment().put("FLICK_JOURNAL_CURSOR", cursor);
        Process p = builder.start();
        child = p;
        if (!running) p.destroy();
        LineSplitter splitter = new LineSplitter(new Consumer<String>() { // a class, not a lambda: see Agent.daemon
            @Override
            public void accept(String line) {
                journalLine(line);
            }
        });
        byte[] chunk = new byte[16 * 1024];
        try (InputStream out = p.getInputStream()) {
            int n;
            while ((n = out.read(chunk)) > 0) splitter.feed(chunk, 0, n);
        } catch (IOException e) {
            if (!running) return "stopped";
            throw e;
        } finally {
            p.destroy();
            child = null;
        }
        int code = p.waitFor();
        return (settings.journalCommand() != null ? "the journal command" : "journalctl") + " exited with code " + code;
    }

    private String followFile(Path file, boolean fromStart) throws IOException, InterruptedException {
        LineSplitter splitter = new LineSplitter(new Consumer<String>() {
            @Override
            public void accept(String line) {
                syslogLine(line);
            }
        });
        try (SyslogTail tail = new SyslogTail(file, fromStart, splitter)) {
            if (!fromStart) Agent.log("System logs: following " + file);
            while (running) {
                tail.poll();
                Thread.sleep(POLL_MS);
            }
        }
        return "stopped";
    }

    private void journalLine(String line) {
        Optional<LogLine> parsed = line == null ? Optional.empty() : LogLines.fromJournalJson(line);
        if (parsed.isPresent()) {
            String c = Messages.string(line, "__CURSOR");
            if (!c.isEmpty()) cursor = c;
        }
        accept(parsed, line);
    }

    private void syslogLine(String line) {
        Optional<LogLine> parsed = Optional.empty();
        if (line != null) {
            long now = System.currentTimeMillis();
            int year = Year.now(zone).getValue();
            parsed = LogLines.fromSyslog(line, year, zone);
            // Classic lines carry no year: "Dec 31 23:59:59" read on 1 January is last year's.
            if (parsed.isPresent() && parsed.get().ts() > now + 86_400_000L) parsed = LogLines.fromSyslog(line, year - 1, zone);
        }
        accept(parsed, line);
    }

    private void accept(Optional<LogLine> parsed, String raw) {
        if (parsed.isPresent()) {
            parsedFromSource++;
            queue.add(LogLines.toJson(parsed.get()));
            return;
        }
        if (raw != null && raw.isBlank()) return;
        queue.malformed();
        if (unreadableReported < MAX_REPORTED_UNREADABLE) {
            unreadableReported++;
            Agent.log("System logs: skipped a line that is not a log entry: "
                    + (raw == null ? "(longer than " + LineSplitter.MAX_LINE + " bytes)" : raw.length() > 160 ? raw.substring(0, 160) + "…" : raw));
        }
    }
}
