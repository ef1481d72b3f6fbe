package dev.flick.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the agent needs: the hub's base URL, its token, the interval and the buffer size. Command-line flags win over
 * the environment (FLICK_HUB, FLICK_TOKEN, FLICK_TOKEN_FILE, FLICK_INTERVAL, FLICK_BUFFER).
 *
 * @param agentUri the hub's /api/v1/agent as ws:// or wss://
 * @param buffer   snapshots kept while the hub is unreachable (default 3,600: one hour at 1 s)
 */
record AgentSettings(URI agentUri, String token, Duration interval, int buffer) {

    static final String USAGE = """
            usage: java -jar flick-agent.jar --hub <hub URL> --token <agent token> [--interval 1s] [--buffer 3600]
              or set FLICK_HUB, FLICK_TOKEN (or FLICK_TOKEN_FILE), FLICK_INTERVAL, FLICK_BUFFER in the environment.
              --token-file <path> reads the token from a file (keeps it out of ps).""";

    static AgentSettings parse(String[] args, Map<String, String> env) {
        String hub = env.get("FLICK_HUB");
        String token = env.get("FLICK_TOKEN");
        String tokenFile = env.get("FLICK_TOKEN_FILE");
        String interval = env.getOrDefault("FLICK_INTERVAL", "1s");
        String buffer = env.getOrDefault("FLICK_BUFFER", "3600");
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
        return new AgentSettings(agentUri(hub.strip()), token.strip(), duration(interval.strip()), size);
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
