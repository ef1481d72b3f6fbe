package dev.flick.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the agent needs: the hub's base URL, its token, the interval, where and how much to keep while the hub lacks
 * it, and which system log to follow. Command-line flags win over the environment (FLICK_HUB, FLICK_TOKEN,
 * FLICK_TOKEN_FILE, FLICK_INTERVAL, FLICK_OUTBOX_DIR, FLICK_OUTBOX_MAX_AGE, FLICK_OUTBOX_MAX_BYTES, FLICK_BUFFER,
 * FLICK_LOGS, FLICK_SYSLOG_FILE, FLICK_JOURNAL_COMMAND).
 *
 * @param agentUris      each hub's /api/v1/agent as ws:// or wss://, in the order given: the agent moves to the next
 *                       one when a connection fails ({@code --hub a,b,c})
 * @param outboxDir      where unacknowledged snapshots are kept ({@link DiskOutbox})
 * @param outboxMaxAge   the oldest unacknowledged snapshot kept (default 24 h)
 * @param outboxMaxBytes the outbox's bytes on disk (default 100 MB)
 * @param buffer         snapshots kept in memory only while the outbox directory cannot be written (default 3,600);
 *                       it was the whole buffer before the disk outbox
 * @param logs           which system log to follow
 * @param syslogFile     the syslog file to follow instead of /var/log/syslog or /var/log/messages, or null
 * @param journalCommand a shell command printing journal JSON lines instead of journalctl, or null
 */
record AgentSettings(List<URI> agentUris, String token, Duration interval, Path outboxDir, Duration outboxMaxAge,
                     long outboxMaxBytes, int buffer, LogMode logs, Path syslogFile, String journalCommand) {

    /** auto: the journal when journalctl works, else a syslog file. */
    enum LogMode { AUTO, JOURNAL, SYSLOG, OFF }

    static final String USAGE = """
            usage: java -jar flick-agent.jar --hub <hub URL>[,<hub URL>…] --token <agent token> [--interval 1s]
                     [--outbox-dir <dir>] [--outbox-max-age 24h] [--outbox-max-bytes 100MB]
                     [--logs auto|journal|syslog|off] [--syslog-file <path>] [--journal-command <command>]
              or set FLICK_HUB, FLICK_TOKEN (or FLICK_TOKEN_FILE), FLICK_INTERVAL, FLICK_OUTBOX_DIR,
              FLICK_OUTBOX_MAX_AGE, FLICK_OUTBOX_MAX_BYTES, FLICK_LOGS, FLICK_SYSLOG_FILE, FLICK_JOURNAL_COMMAND.
              --token-file <path> reads the token from a file (keeps it out of ps).
              Several hubs (--hub a,b): when a connection fails the agent moves to the next one and back-fills there.
              Snapshots the hub has not acknowledged are kept on disk in the outbox directory (default
              $STATE_DIRECTORY under systemd, /var/lib/flick-agent as root, else ~/.local/state/flick-agent)
              within both bounds (age 1m..7d, size 1MB..100GB), and survive a restart.
              --buffer <n> / FLICK_BUFFER is superseded by the outbox bounds: it now only caps the snapshots
              kept in memory while the outbox directory cannot be written (default 3600).""";

    /** The first hub: the one the agent starts with. */
    URI agentUri() {
        return agentUris.get(0);
    }

    static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    static final long DEFAULT_MAX_BYTES = 100_000_000L;

    static AgentSettings parse(String[] args, Map<String, String> env) {
        String hub = env.get("FLICK_HUB");
        String token = env.get("FLICK_TOKEN");
        String tokenFile = env.get("FLICK_TOKEN_FILE");
        String interval = env.getOrDefault("FLICK_INTERVAL", "1s");
        String buffer = env.getOrDefault("FLICK_BUFFER", "3600");
        String outboxDir = env.get("FLICK_OUTBOX_DIR");
        String maxAge = env.getOrDefault("FLICK_OUTBOX_MAX_AGE", "24h");
        String maxBytes = env.getOrDefault("FLICK_OUTBOX_MAX_BYTES", "100MB");
        String logs = env.getOrDefault("FLICK_LOGS", "auto");
        String syslogFile = env.get("FLICK_SYSLOG_FILE");
        String journalCommand = env.get("FLICK_JOURNAL_COMMAND");
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value = flag.contains("=") ? flag.substring(flag.indexOf('=') + 1) : null;
            String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
            if (name.equals("--help") || name.equals("-h")) throw new IllegalArgumentException("");
            if (value == null) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
                value = args[++i];
            }
            switch (name) {
                case "--hub" -> hub = value;
                case "--token" -> token = value;
                case "--token-file" -> tokenFile = value;
                case "--interval" -> interval = value;
                case "--buffer" -> buffer = value;
                case "--outbox-dir" -> outboxDir = value;
                case "--outbox-max-age" -> maxAge = value;
                case "--outbox-max-bytes" -> maxBytes = value;
                case "--logs" -> logs = value;
                case "--syslog-file" -> syslogFile = value;
                case "--journal-command" -> journalCommand = value;
                default -> throw new IllegalArgumentException("unknown argument: " + name);
            }
        }
        if (hub == null || hub.isBlank()) throw new IllegalArgumentException("the hub URL is missing (--hub or FLICK_HUB)");
        if ((token == null || token.isBlank()) && tokenFile != null) {
            try {
                token = Files.readString(Path.of(tokenFile)).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the token file " + tokenFile + ": " + e.getMessage());
            }
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the agent token is missing (--token, --token-file, FLICK_TOKEN or FLICK_TOKEN_FILE)");
        }
        int size;
        try {
            size = Integer.parseInt(buffer.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--buffer must be a whole number of snapshots, not " + buffer);
        }
        if (size < 1 || size > 1_000_000) throw new IllegalArgumentException("--buffer must be between 1 and 1000000");
        LogMode mode = switch (logs.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> LogMode.AUTO;
            case "journal" -> LogMode.JOURNAL;
            case "syslog" -> LogMode.SYSLOG;
            case "off" -> LogMode.OFF;
            default -> throw new IllegalArgumentException("--logs must be auto, journal, syslog or off, not " + logs);
        };
        Path dir = outboxDir == null || outboxDir.isBlank() ? defaultOutboxDir(env) : Path.of(outboxDir.strip());
        return new AgentSettings(agentUris(hub), token.strip(), duration(interval.strip()), dir, age(maxAge.strip()),
                bytes(maxBytes.strip()), size, mode,
                syslogFile == null || syslogFile.isBlank() ? null : Path.of(syslogFile.strip()),
                journalCommand == null || journalCommand.isBlank() ? null : journalCommand.strip());
    }

    /**
     * systemd's {@code $STATE_DIRECTORY} (the unit's StateDirectory=), else /var/lib/flick-agent for root when it can
     * be written there, else {@code $XDG_STATE_HOME/flick-agent} or ~/.local/state/flick-agent.
     */
    static Path defaultOutboxDir(Map<String, String> env) {
        String state = env.get("STATE_DIRECTORY");
        if (state != null && !state.isBlank()) {
            int colon = state.indexOf(':'); // several StateDirectory= entries are separated by colons
            return Path.of(colon < 0 ? state : state.substring(0, colon));
        }
        Path system = Path.of("/var/lib/flick-agent");
        if ("root".equals(System.getProperty("user.name"))
                && (Files.isWritable(system) || (!Files.exists(system) && Files.isWritable(system.getParent())))) {
            return system;
        }
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && xdg.startsWith("/")) return Path.of(xdg, "flick-agent");
        return Path.of(System.getProperty("user.home"), ".local", "state", "flick-agent");
    }

    /** 24h, 90m, 7d, 3600s or a bare number of seconds; between a minute and 7 days (the hub refuses older ones). */
    static Duration age(String text) {
        long ms;
        try {
            String t = text.toLowerCase(java.util.Locale.ROOT);
            if (t.endsWith("d")) ms = Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 86_400_000);
            else if (t.endsWith("h")) ms = Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 3_600_000);
            else if (t.endsWith("m")) ms = Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000);
            else if (t.endsWith("s")) ms = Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
            else ms = Math.round(Double.parseDouble(t) * 1000);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--outbox-max-age is not a duration: " + text + " (try 24h or 7d)");
        }
        if (ms < 60_000 || ms > 7 * 86_400_000L) {
            throw new IllegalArgumentException("--outbox-max-age must be between 1m and 7d (the hub refuses older snapshots)");
        }
        return Duration.ofMillis(ms);
    }

    /** 100MB, 1.5GB, 512MiB, 64k or a bare number of bytes; between 1 MB and 100 GB. */
    static long bytes(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        long unit = 1;
        String[][] units = {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"}, {"kb", "1000"}, {"mb", "1000000"},
                {"gb", "1000000000"}, {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        long n;
        try {
            n = Math.round(Double.parseDouble(t) * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--outbox-max-bytes is not a size: " + text + " (try 100MB or 1GB)");
        }
        if (n < 1_000_000 || n > 100_000_000_000L) throw new IllegalArgumentException("--outbox-max-bytes must be between 1MB and 100GB");
        return n;
    }

    /** A comma-separated list of hub URLs, each as {@link #agentUri(String)}; duplicates are kept once. */
    static List<URI> agentUris(String hubs) {
        List<URI> uris = new ArrayList<>();
        for (String one : hubs.split(",")) {
            if (one.isBlank()) continue;
            URI uri = agentUri(one.strip());
            if (!uris.contains(uri)) uris.add(uri);
        }
        if (uris.isEmpty()) throw new IllegalArgumentException("the hub URL is missing (--hub or FLICK_HUB)");
        return List.copyOf(uris);
    }

    /** http://hub:8080 → ws://hub:8080/api/v1/agent, https → wss; a path prefix (reverse proxy) is kept. */
    static URI agentUri(String hub) {
        URI uri;
        try {
            uri = URI.create(hub);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + hub);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        String ws = switch (scheme) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new IllegalArgumentException("the hub URL must start with http://, https://, ws:// or wss://: " + hub);
        };
        if (uri.getHost() == null) throw new IllegalArgumentException("the hub URL has no host: " + hub);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.endsWith("/api/v1/agent")) path = path.substring(0, path.length() - "/api/v1/agent".length());
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return URI.create(ws + "://" + uri.getRawAuthority() + path + "/api/v1/agent");
    }

    /** 1s, 500ms, 2m or a bare number of seconds; between 100 ms and 1 h. */
    static Duration duration(String text) {
        Duration d;
        try {
            if (text.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            else if (text.endsWith("s")) d = Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            else if (text.endsWith("m")) d = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            else d = Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: " + text + " (try 1s or 500ms)");
        }
        if (d.toMillis() < 100 || d.toMillis() > 3_600_000) throw new IllegalArgumentException("the interval must be between 100ms and 1h");
        return d;
    }
}
