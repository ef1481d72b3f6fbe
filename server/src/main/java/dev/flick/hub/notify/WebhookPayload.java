package dev.flick.hub.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flick.collector.Snapshot;

/** The bodies a webhook receives: FLick's own JSON (documented in docs/alerts.md), or Slack's and Discord's shapes. */
final class WebhookPayload {

    private WebhookPayload() {}

    static Map<String, Object> of(String format, Notice n, String link) {
        return of(format, n, link, NoticeText.Language.EN);
    }

    /** The payload with its people-facing text in the recipient's language; machine fields are the same in every language. */
    static Map<String, Object> of(String format, Notice n, String link, NoticeText.Language lang) {
        return switch (format) {
            case "slack" -> slack(n, link, lang);
            case "discord" -> discord(n, link, lang);
            default -> flick(n, link, lang);
        };
    }

    static Map<String, Object> flick(Notice n, String link) {
        return flick(n, link, NoticeText.Language.EN);
    }

    static Map<String, Object> flick(Notice n, String link, NoticeText.Language lang) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("eventId", n.eventId());
        alert.put("ruleId", n.ruleId());
        alert.put("ruleName", n.ruleName());
        alert.put("serverId", n.serverId());
        alert.put("serverName", n.serverName());
        alert.put("metric", n.metric());
        alert.put("mount", n.mount());
        alert.put("level", n.level());
        alert.put("value", n.value());
        alert.put("threshold", n.threshold());
        alert.put("valueText", n.valueText());
        alert.put("thresholdText", n.thresholdText());
        alert.put("ts", n.ts());
        alert.put("startedAt", n.startedAt());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", 1);
        body.put("kind", n.kind().name().toLowerCase(java.util.Locale.ROOT));
        body.put("title", n.headline());
        body.put("code", NoticeText.code(n));
        body.put("params", NoticeText.params(n));
        body.put("language", lang.name().toLowerCase(java.util.Locale.ROOT));
        body.put("text", NoticeText.headline(n, lang));
        body.put("link", link);
        body.put("alert", alert);
        body.put("processes", n.processes());
        return body;
    }

    static Map<String, Object> slack(Notice n, String link, NoticeText.Language lang) {
        StringBuilder text = new StringBuilder("*").append(NoticeText.headline(n, lang)).append("*");
        if (link != null) text.append("\n<").append(link).append("|").append(NoticeText.label("Open in FLick", lang)).append(">");
        String top = topLines(n.processes());
        if (!top.isEmpty()) text.append("\n").append(NoticeText.label("Top processes", lang)).append(":\n```").append(top).append("```");
        return Map.of("text", text.toString());
    }

    static Map<String, Object> discord(Notice n, String link, NoticeText.Language lang) {
        Map<String, Object> embed = new LinkedHashMap<>();
        embed.put("title", clip(NoticeText.headline(n, lang), 256));
        if (link != null) embed.put("url", link);
        String top = topLines(n.processes());
        embed.put("description", clip(top.isEmpty() ? (n.ruleName() == null ? "" : n.ruleName()) : NoticeText.label("Top processes", lang) + ":\n```" + top + "```", 4000));
        embed.put("color", switch (n.kind() == Notice.Kind.RESOLVED ? "resolved" : String.valueOf(n.level())) {
            case "critical" -> 0xD32F2F;
            case "warning" -> 0xF9A825;
            case "resolved" -> 0x2E7D32;
            default -> 0x1976D2;
        });
        embed.put("timestamp", Instant.ofEpochMilli(n.ts()).toString());
        List<Object> embeds = new ArrayList<>();
        embeds.add(embed);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", clip(NoticeText.headline(n, lang), 2000));
        body.put("embeds", embeds);
        return body;
    }

    static String topLines(List<Snapshot.Processes.Process> processes) {
        StringBuilder b = new StringBuilder();
        processes.stream().limit(5).forEach(p -> b.append(String.format(java.util.Locale.ROOT, "%-7d %-20s %6.1f%% CPU %8s%n",
                p.pid(), clip(p.name(), 20), p.cpu(), EmailMessage.bytes(p.rss()))));
        return b.toString();
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
