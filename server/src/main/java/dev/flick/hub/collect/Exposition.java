package dev.flick.hub.collect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape in the Prometheus text exposition format 0.0.4, parsed strictly: a line that is not a comment, a HELP or
 * TYPE line or a well-formed sample fails the whole scrape with its line number. Histogram and summary samples
 * ({@code _bucket}, {@code _sum}, {@code _count}, {@code quantile}) are kept as ordinary samples; nothing here needs
 * them. Hand-written because no maintained Java parser for this format exists (client_java only writes it).
 */
final class Exposition {

    /** One sample line. Timestamps, when present, are read and not kept: the scrape's time stands for all. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** The text is not the exposition format; the message says where, never quotes the content. */
    static final class Malformed extends Exception {
        Malformed(int line, String what) {
            super("line " + line + ": " + what, null, false, false);
        }
    }

    private final Map<String, List<Sample>> byName;
    private final Map<String, String> types;
    private final Map<String, String> help;

    private Exposition(Map<String, List<Sample>> byName, Map<String, String> types, Map<String, String> help) {
        this.byName = byName;
        this.types = types;
        this.help = help;
    }

    List<Sample> samples(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** The value of an unlabelled (or first) sample, or the fallback when there is none. */
    double value(String name, double fallback) {
        List<Sample> s = byName.get(name);
        return s == null || s.isEmpty() ? fallback : s.getFirst().value();
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    String type(String name) {
        return types.get(name);
    }

    String help(String name) {
        return help.get(name);
    }

    int size() {
        int n = 0;
        for (List<Sample> s : byName.values()) n += s.size();
        return n;
    }

    static Exposition parse(String text) throws Malformed {
        Map<String, List<Sample>> byName = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        Map<String, String> help = new HashMap<>();
        int lineNo = 0;
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf('\n', at);
            if (end < 0) end = text.length();
            String line = text.substring(at, end);
            at = end + 1;
            lineNo++;
            String trimmed = line.strip();
            if (trimmed.isEmpty()) continue;
            if (trimmed.charAt(0) == '#') {
                comment(trimmed, lineNo, types, help);
                continue;
            }
            Sample s = new Cursor(line, lineNo).sample();
            byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        }
        return new Exposition(byName, types, help);
    }

    private static void comment(String line, int lineNo, Map<String, String> types, Map<String, String> help) throws Malformed {
        String[] parts = line.substring(1).strip().split("[ \t]+", 3);
        if (parts.length < 2 || !(parts[0].equals("HELP") || parts[0].equals("TYPE"))) return; // a plain comment
        if (!isMetricName(parts[1])) throw new Malformed(lineNo, parts[0] + " names no valid metric");
        if (parts[0].equals("TYPE")) {
            String type = parts.length > 2 ? parts[2].strip() : "";
            if (!List.of("counter", "gauge", "histogram", "summary", "untyped").contains(type)) {
                throw new Malformed(lineNo, "unknown metric type");
            }
            if (types.putIfAbsent(parts[1], type) != null) throw new Malformed(lineNo, "a second TYPE line for one metric");
        } else {
            help.put(parts[1], parts.length > 2 ? unescapeHelp(parts[2]) : "");
        }
    }

    private static String unescapeHelp(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                if (n == 'n') b.append('\n');
                else if (n == '\\') b.append('\\');
                else b.append('\\').append(n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static boolean isMetricName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }

    /** Reads one sample line: name, optional {labels}, value, optional timestamp. */
    private static final class Cursor {
        private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
        private final String s;
        private final int lineNo;
        private int i;

        Cursor(String s, int lineNo) {
            this.s = s;
            this.lineNo = lineNo;
        }

        Sample sample() throws Malformed {
            blanks();
            String name = name(true);
            if (name.isEmpty()) throw new Malformed(lineNo, "expected a metric name");
            Map<String, String> labels = Map.of();
            int spaces = blanks(); // text_parse.go allows blanks between the name and its labels
            if (i < s.length() && s.charAt(i) == '{') {
                labels = labels();
                spaces = blanks();
            }
            if (spaces == 0) throw new Malformed(lineNo, "expected a space before the value");
            double value = number(token());
            if (blanks() > 0 && i < s.length()) {
                String ts = token();
                try {
                    Long.parseLong(ts);
                } catch (NumberFormatException e) {
                    throw new Malformed(lineNo, "the timestamp is not an integer");
                }
                blanks();
            }
            if (i < s.length()) throw new Malformed(lineNo, "unexpected text after the value");
            return new Sample(name, labels, value);
        }

        private Map<String, String> labels() throws Malformed {
            Map<String, String> out = new LinkedHashMap<>();
            i++; // {
            while (true) {
                blanks();
                if (i < s.length() && s.charAt(i) == '}') {
                    i++;
                    return out;
                }
                String label = name(false);
                if (label.isEmpty()) throw new Malformed(lineNo, "expected a label name");
                blanks();
                if (i >= s.length() || s.charAt(i) != '=') throw new Malformed(lineNo, "expected = after a label name");
                i++;
                blanks();
                if (i >= s.length() || s.charAt(i) != '"') throw new Malformed(lineNo, "expected a quoted label value");
                i++;
                StringBuilder v = new StringBuilder();
                while (true) {
                    if (i >= s.length()) throw new Malformed(lineNo, "a label value is not closed");
                    char c = s.charAt(i++);
                    if (c == '"') break;
                    if (c == '\\') {
                        if (i >= s.length()) throw new Malformed(lineNo, "a label value is not closed");
                        char n = s.charAt(i++);
                        switch (n) {
                            case 'n' -> v.append('\n');
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            default -> throw new Malformed(lineNo, "an unknown escape in a label value");
                        }
                    } else {
                        v.append(c);
                    }
                }
                if (out.put(label, v.toString()) != null) throw new Malformed(lineNo, "a label appears twice");
                blanks();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                } else if (i >= s.length() || s.charAt(i) != '}') {
                    throw new Malformed(lineNo, "expected , or } in the labels");
                }
            }
        }

        private String name(boolean metric) {
            int start = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                boolean ok = c == '_' || (metric && c == ':') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || (i > start && c >= '0' && c <= '9');
                if (!ok) break;
                i++;
            }
            return s.substring(start, i);
        }

        private String token() {
            int start = i;
            while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') i++;
            return s.substring(start, i);
        }

        private int blanks() {
            int start = i;
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r')) i++;
            return i - start;
        }

        private double number(String t) throws Malformed {
            switch (t) {
                case "+Inf", "Inf" -> { return Double.POSITIVE_INFINITY; }
                case "-Inf" -> { return Double.NEGATIVE_INFINITY; }
                case "NaN" -> { return Double.NaN; }
                default -> { }
            }
            if (!NUMBER.matcher(t).matches()) {
                throw new Malformed(lineNo, "the value is not a number");
            }
            return Double.parseDouble(t);
        }
    }
}
