package dev.flick.hub.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A channel's message text: {@code {{placeholder}}} in literal text. Values are escaped for the format the service
 * parses; the literal text is the channel owner's own and goes out as written.
 */
final class Template {

    private Template() {}

    static final List<String> PLACEHOLDERS = List.of("server", "rule", "metric", "value", "threshold", "level", "link",
            "processes", "title", "kind", "time");
    private static final Pattern TAG = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    /** How placeholder values are escaped. */
    enum Escape {
        PLAIN, JSON, HTML, MARKDOWN;

        String apply(String s) {
            return switch (this) {
                case PLAIN -> s;
                case JSON -> json(s);
                case HTML -> s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
                case MARKDOWN -> s.replaceAll("([\\\\`*_\\[\\]<>#|~])", "\\\\$1");
            };
        }

        private static String json(String s) {
            StringBuilder b = new StringBuilder(s.length() + 8);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
                        else b.append(c);
                    }
                }
            }
            return b.toString();
        }
    }

    /** Title and body for one kind of notice; null means the service's default. */
    record Part(String title, String body) {}

    /** A channel's templates for firing, reminder and resolved notices (a test uses the firing one). */
    record Set(Part firing, Part reminder, Part resolved) {
        static final Set DEFAULTS = new Set(null, null, null);

        Part forKind(Notice.Kind kind) {
            Part p = switch (kind) {
                case FIRING, TEST -> firing;
                case REMINDER -> reminder;
                case RESOLVED -> resolved;
            };
            return p == null ? new Part(null, null) : p;
        }

        Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "firing", firing);
            put(m, "reminder", reminder);
            put(m, "resolved", resolved);
            return m;
        }

        private static void put(Map<String, Object> m, String key, Part p) {
            if (p == null || (p.title() == null && p.body() == null)) return;
            Map<String, String> v = new LinkedHashMap<>();
            if (p.title() != null) v.put("title", p.title());
            if (p.body() != null) v.put("body", p.body());
            m.put(key, v);
        }
    }

    /** The first placeholder not in {@link #PLACEHOLDERS} (for a title, not {@code title} either), if any. */
    static Optional<String> unknownPlaceholder(String template, boolean title) {
        if (template == null) return Optional.empty();
        Matcher m = TAG.matcher(template);
        while (m.find()) {
            // A title cannot quote itself: {{title}} is for bodies only.
            if (!PLACEHOLDERS.contains(m.group(1)) || (title && m.group(1).equals("title"))) return Optional.of(m.group(1));
        }
        return Optional.empty();
    }

    static String render(String template, Map<String, String> values, Escape escape) {
        Matcher m = TAG.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.getOrDefault(m.group(1), "");
            m.appendReplacement(out, Matcher.quoteReplacement(escape.apply(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The placeholder values for a notice, unescaped. */
    static Map<String, String> values(Notice n, String link) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("server", or(n.serverName() == null ? n.serverId() : n.serverName()));
        v.put("rule", or(n.ruleName()));
        v.put("metric", or(n.metricLabel()));
        v.put("value", or(n.valueText()));
        v.put("threshold", or(n.thresholdText()));
        v.put("level", or(n.level()));
        v.put("link", or(link));
        v.put("processes", WebhookPayload.topLines(n.processes()).stripTrailing());
        v.put("kind", n.kind().name().toLowerCase(Locale.ROOT));
        v.put("time", Instant.ofEpochMilli(n.ts()).toString());
        return v;
    }

    private static String or(String s) {
        return s == null ? "-" : s;
    }

    /** Title and body rendered for one channel and notice: the title plain, the body escaped for the kind. */
    record Rendered(String title, String body) {}

    static Rendered render(ChannelKind kind, Set templates, Notice n, String link) {
        Part own = templates.forKind(n.kind());
        Part def = defaults(kind, n.kind());
        Map<String, String> values = values(n, link);
        String title = render(own.title() == null ? def.title() : own.title(), values, Escape.PLAIN);
        values.put("title", title);
        String body = render(own.body() == null ? def.body() : own.body(), values, kind.escape);
        return new Rendered(title, body);
    }

    static Part defaults(ChannelKind kind, Notice.Kind notice) {
        String title = switch (notice) {
            case FIRING -> "{{level}}: {{metric}} on {{server}} is {{value}} ({{threshold}})";
            case REMINDER -> "Still {{level}}: {{metric}} on {{server}} is {{value}} ({{threshold}})";
            case RESOLVED -> "Resolved: {{metric}} on {{server}} is back to {{value}}";
            case TEST -> "Test from FLick: this channel works";
        };
        String body = switch (kind) {
            case TELEGRAM, MATRIX -> "<b>{{title}}</b>\nRule: {{rule}}\n<a href=\"{{link}}\">Open in FLick</a>\n<pre>{{processes}}</pre>";
            case MATTERMOST, TEAMS -> "**{{title}}**\nRule: {{rule}} · [Open in FLick]({{link}})\n\n{{processes}}";
            case ROCKETCHAT -> "*{{title}}*\nRule: {{rule}} · [Open in FLick]({{link}})\n\n{{processes}}";
            case GOOGLECHAT -> "*{{title}}*\nRule: {{rule}}\n<{{link}}|Open in FLick>\n{{processes}}";
            case WEBHOOK -> """
                    {"kind":"{{kind}}","title":"{{title}}","server":"{{server}}","rule":"{{rule}}","metric":"{{metric}}",\
                    "value":"{{value}}","threshold":"{{threshold}}","level":"{{level}}","link":"{{link}}","time":"{{time}}",\
                    "processes":"{{processes}}"}""";
            default -> "Rule: {{rule}}\n{{link}}\n\nTop processes:\n{{processes}}";
        };
        return new Part(title, body);
    }

    /** A notice for previews when no real one exists yet. */
    static Notice sample(Notice.Kind kind, long now) {
        return new Notice(kind, "sample", "sample", "CPU hot", "sample", "web-1", "cpu.usage", null, "critical", "CPU usage",
                96.5, 90.0, kind == Notice.Kind.RESOLVED ? "41.0 %" : "96.5 %", "> 90.0 %", now, now - 120_000,
                List.of(new dev.flick.collector.Snapshot.Processes.Process(4242, "cpu-burner", "root", 195.5, 1 << 20, "cpu-burner --all"),
                        new dev.flick.collector.Snapshot.Processes.Process(1, "init", "root", 0.1, 1 << 10, "/sbin/init")),
                List.of());
    }
}
