package dev.flick.hub.notify;

import java.util.Locale;

import org.springframework.web.util.HtmlUtils;

import dev.flick.collector.Snapshot;

/** An alert email: subject, plain text and HTML with server, metric, value, threshold, level, top processes and link. */
record EmailMessage(String subject, String text, String html) {

    static EmailMessage of(Notice n, String link) {
        return of(n, link, NoticeText.Language.EN);
    }

    /** The email in the recipient's language (the channel owner's profile language). */
    static EmailMessage of(Notice n, String link, NoticeText.Language lang) {
        String headline = NoticeText.headline(n, lang);
        String subject = "[FLick] " + headline;
        StringBuilder text = new StringBuilder(headline).append("\n\n");
        StringBuilder html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">")
                .append("<h2>").append(esc(headline)).append("</h2><table cellpadding=\"4\">");
        row(text, html, NoticeText.label("Server", lang), n.serverName() == null ? n.serverId() : n.serverName());
        if (n.kind() != Notice.Kind.TEST) {
            row(text, html, NoticeText.label("Metric", lang), NoticeText.metricLabel(n, lang) + " (" + n.metric() + ")");
            row(text, html, NoticeText.label("Value", lang), n.valueText());
            row(text, html, NoticeText.label("Threshold", lang), n.thresholdText());
            row(text, html, NoticeText.label("Level", lang), NoticeText.level(n.level(), lang));
            if (n.ruleName() != null) row(text, html, NoticeText.label("Rule", lang), n.ruleName());
        }
        row(text, html, NoticeText.label("Time", lang), NoticeText.time(n.ts(), lang));
        html.append("</table>");
        if (!n.processes().isEmpty()) {
            text.append("\n").append(NoticeText.label("Top processes at that moment", lang)).append(":\n  PID      NAME                   CPU        RSS  USER\n");
            html.append("<h3>").append(NoticeText.label("Top processes at that moment", lang)).append("</h3><table cellpadding=\"4\" border=\"1\" style=\"border-collapse:collapse\">")
                    .append("<tr><th>PID</th><th>Name</th><th>CPU</th><th>Memory</th><th>User</th><th>Command</th></tr>");
            for (Snapshot.Processes.Process p : n.processes()) {
                text.append(String.format(Locale.ROOT, "  %-8d %-20s %6.1f%% %10s  %s%n", p.pid(), p.name(), p.cpu(), bytes(p.rss()),
                        p.user() == null ? "" : p.user()));
                html.append("<tr><td>").append(p.pid()).append("</td><td>").append(esc(p.name())).append("</td><td>")
                        .append(String.format(Locale.ROOT, "%.1f %%", p.cpu())).append("</td><td>").append(bytes(p.rss()))
                        .append("</td><td>").append(esc(p.user())).append("</td><td><code>")
                        .append(esc(WebhookPayload.clip(p.command(), 120))).append("</code></td></tr>");
            }
            html.append("</table>");
        }
        if (link != null) {
            text.append("\n").append(lang == NoticeText.Language.KO ? "이 순간을 FLick에서 열기" : "Open this moment in FLick").append(": ").append(link).append('\n');
            html.append("<p><a href=\"").append(esc(link)).append("\">").append(lang == NoticeText.Language.KO ? "이 순간을 FLick에서 열기" : "Open this moment in FLick").append("</a></p>");
        }
        html.append("</body></html>");
        return new EmailMessage(subject, text.toString(), html.toString());
    }

    private static void row(StringBuilder text, StringBuilder html, String label, String value) {
        text.append(String.format(Locale.ROOT, "%-10s %s%n", label + ":", value));
        html.append("<tr><th align=\"left\">").append(label).append("</th><td>").append(esc(value)).append("</td></tr>");
    }

    private static String esc(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s);
    }

    static String bytes(long b) {
        if (b < 1024) return b + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
