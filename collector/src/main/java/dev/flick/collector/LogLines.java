package dev.flick.collector;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what collectors follow into {@link LogLine}s: `journalctl -f -o json` objects, and syslog files in the
 * classic ("Nov 26 03:12:00 host prog[42]: msg") or ISO ("2026-11-26T03:12:00.1+00:00 host prog: msg") format.
 * A line that is not one of these gives empty, never an exception: the caller counts it and moves on.
 */
public final class LogLines {

    private static final Pattern CLASSIC = Pattern.compile(
            "^(?:<(\\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d{2}:\\d{2}:\\d{2}) (\\S+) ([^:\\[\\s]+)(?:\\[\\d+\\])?: ?(.*)$");
    private static final Pattern ISO = Pattern.compile(
            "^(?:<(\\d{1,3})>)?(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})) (\\S+) ([^:\\[\\s]+)(?:\\[\\d+\\])?: ?(.*)$");
    private static final DateTimeFormatter CLASSIC_TIME = DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.ROOT);

    private LogLines() {}

    /** One `journalctl -o json` object. */
    public static Optional<LogLine> fromJournalJson(String json) {
        Map<String, Object> fields;
        try {
            fields = FlatJson.parse(json);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Object realtime = fields.get("__REALTIME_TIMESTAMP");
        Object message = fields.get("MESSAGE");
        if (!(realtime instanceof String micros) || message == null) return Optional.empty();
        long ts;
        try {
            ts = Long.parseLong(micros) / 1000;
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String text = message instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : message.toString();
        int priority = 6;
        if (fields.get("PRIORITY") instanceof String p) {
            try {
                priority = Integer.parseInt(p);
            } catch (NumberFormatException ignored) {
                // keep info
            }
        }
        String unit = fields.get("_SYSTEMD_UNIT") instanceof String u ? u
                : fields.get("SYSLOG_IDENTIFIER") instanceof String id ? id
                : fields.get("_COMM") instanceof String c ? c : null;
        return Optional.of(new LogLine(ts, "journal", LogLine.level(priority), unit, LogLine.clip(text)));
    }

    /** One line of /var/log/syslog or /var/log/messages; the classic format has no year or zone, so they are given. */
    public static Optional<LogLine> fromSyslog(String line, int year, ZoneId zone) {
        if (line == null || line.isBlank()) return Optional.empty();
        Matcher iso = ISO.matcher(line);
        if (iso.matches()) {
            try {
                long ts = OffsetDateTime.parse(iso.group(2).replaceFirst("([+-]\\d{2})(\\d{2})$", "$1:$2")).toInstant().toEpochMilli();
                return Optional.of(new LogLine(ts, "syslog", levelOf(iso.group(1)), iso.group(4), LogLine.clip(iso.group(5))));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        Matcher classic = CLASSIC.matcher(line);
        if (classic.matches()) {
            try {
                LocalDateTime local = LocalDateTime.parse(classic.group(2) + " " + classic.group(3) + " " + classic.group(4) + " " + year,
                        CLASSIC_TIME);
                long ts = local.atZone(zone).toInstant().toEpochMilli();
                return Optional.of(new LogLine(ts, "syslog", levelOf(classic.group(1)), classic.group(6), LogLine.clip(classic.group(7))));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String levelOf(String pri) {
        return pri == null ? "info" : LogLine.level(Integer.parseInt(pri) & 7);
    }

    /** JSON for shipping a line to the hub, without a JSON library (the agent stays small). */
    public static String toJson(LogLine l) {
        StringBuilder b = new StringBuilder(64 + l.message().length());
        b.append("{\"ts\":").append(l.ts()).append(",\"source\":");
        SnapshotJson.string(b, l.source());
        b.append(",\"level\":");
        SnapshotJson.string(b, l.level());
        if (l.unit() != null) {
            b.append(",\"unit\":");
            SnapshotJson.string(b, l.unit());
        }
        b.append(",\"message\":");
        SnapshotJson.string(b, l.message());
        return b.append('}').toString();
    }

    /** Just enough JSON for journald's flat objects: string values, byte arrays (binary MESSAGE), numbers, null. */
    static final class FlatJson {
        private final String s;
        private int i;

        private FlatJson(String s) {
            this.s = s;
        }

        static Map<String, Object> parse(String s) {
            if (s == null) throw new IllegalArgumentException("null");
            FlatJson p = new FlatJson(s);
            return p.object();
        }

        private Map<String, Object> object() {
            Map<String, Object> out = new HashMap<>();
            skip();
            expect('{');
            skip();
            if (peek() == '}') {
                i++;
                return out;
            }
            while (true) {
                skip();
                String key = string();
                skip();
                expect(':');
                skip();
                out.put(key, value());
                skip();
                char c = next();
                if (c == '}') return out;
                if (c != ',') throw new IllegalArgumentException("expected , or } at " + i);
            }
        }

        private Object value() {
            char c = peek();
            if (c == '"') return string();
            if (c == '[') return bytes();
            if (c == 'n' && s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-.0123456789eE".indexOf(s.charAt(i)) >= 0) i++;
            if (start == i) throw new IllegalArgumentException("unexpected " + c + " at " + i);
            return s.substring(start, i);
        }

        private byte[] bytes() {
            expect('[');
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            skip();
            if (peek() == ']') {
                i++;
                return out.toByteArray();
            }
            while (true) {
                skip();
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
                if (start == i) throw new IllegalArgumentException("byte expected at " + i);
                out.write(Integer.parseInt(s, start, i, 10));
                skip();
                char c = next();
                if (c == ']') return out.toByteArray();
                if (c != ',') throw new IllegalArgumentException("expected , or ] at " + i);
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') return b.toString();
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) throw new IllegalArgumentException("bad escape");
                        b.append((char) Integer.parseInt(s, i, i + 4, 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private char peek() {
            if (i >= s.length()) throw new IllegalArgumentException("unexpected end");
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
        }
    }
}
