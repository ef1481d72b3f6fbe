package dev.flick.hub.notify;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.ObjectMapper;

/**
 * The one HTTP request a channel's service documents for a notice: method, target, headers and body.
 * Built here per {@link ChannelKind}; sent by {@link WebhookSender}, which vets the target first.
 */
record ServiceRequest(String method, URI uri, Map<String, String> headers, String body, String contentType) {

    static final String JSON = "application/json";

    static ServiceRequest of(Channel c, Notice n, String link, ObjectMapper json) {
        return of(c, n, link, json, NoticeText.Language.EN);
    }

    static ServiceRequest of(Channel c, Notice n, String link, ObjectMapper json, NoticeText.Language lang) {
        Template.Rendered r = Template.render(c.kind(), c.templates(), n, link);
        String level = n.kind() == Notice.Kind.RESOLVED ? "resolved" : String.valueOf(n.level());
        Map<String, String> headers = new LinkedHashMap<>();
        return switch (c.kind()) {
            case EMAIL -> throw new IllegalArgumentException("email is not sent over HTTP");
            case WEBHOOK -> {
                headers.putAll(c.headers());
                String body = "custom".equals(c.format()) ? r.body() : json.writeValueAsString(WebhookPayload.of(c.format(), n, link, lang));
                yield new ServiceRequest("POST", uri(c.url()), headers, body, JSON);
            }
            case TELEGRAM -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("chat_id", c.get("chatId"));
                m.put("text", WebhookPayload.clip(r.body(), 4096));
                m.put("parse_mode", "HTML");
                m.put("disable_web_page_preview", true);
                yield new ServiceRequest("POST", uri(base(c.get("apiUrl")) + "/bot" + c.get("botToken") + "/sendMessage"), headers,
                        json.writeValueAsString(m), JSON);
            }
            case NTFY -> {
                headers.put("Title", header(r.title()));
                headers.put("Priority", switch (level) { case "critical" -> "5"; case "warning" -> "4"; default -> "3"; });
                headers.put("Tags", switch (level) { case "critical" -> "rotating_light"; case "warning" -> "warning";
                    case "resolved" -> "white_check_mark"; default -> "information_source"; });
                if (link != null) headers.put("Click", link);
                if (c.get("token") != null) headers.put("Authorization", "Bearer " + c.get("token"));
                yield new ServiceRequest("POST", uri(c.url()), headers, r.body(), "text/plain; charset=utf-8");
            }
            case GOTIFY -> {
                headers.put("X-Gotify-Key", c.get("token"));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("title", r.title());
                m.put("message", r.body());
                m.put("priority", switch (level) { case "critical" -> 8; case "warning" -> 5; default -> 2; });
                yield new ServiceRequest("POST", uri(base(c.get("url")) + "/message"), headers, json.writeValueAsString(m), JSON);
            }
            case PUSHOVER -> {
                Map<String, String> form = new LinkedHashMap<>();
                form.put("token", c.get("appToken"));
                form.put("user", c.get("userKey"));
                form.put("title", WebhookPayload.clip(r.title(), 250));
                form.put("message", WebhookPayload.clip(r.body(), 1024));
                form.put("priority", switch (level) { case "critical" -> "1"; case "warning" -> "0"; default -> "-1"; });
                if (link != null) {
                    form.put("url", link);
                    form.put("url_title", "Open in FLick");
                }
                yield new ServiceRequest("POST", uri(base(c.get("apiUrl")) + "/1/messages.json"), headers, form(form),
                        "application/x-www-form-urlencoded");
            }
            case TEAMS -> {
                List<Object> body = new ArrayList<>();
                body.add(Map.of("type", "TextBlock", "text", r.title(), "weight", "Bolder", "size", "Medium", "wrap", true));
                body.add(Map.of("type", "TextBlock", "text", r.body(), "wrap", true));
                Map<String, Object> card = new LinkedHashMap<>();
                card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
                card.put("type", "AdaptiveCard");
                card.put("version", "1.4");
                card.put("body", body);
                if (link != null) card.put("actions", List.of(Map.of("type", "Action.OpenUrl", "title", "Open in FLick", "url", link)));
                Map<String, Object> attachment = new LinkedHashMap<>();
                attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
                attachment.put("content", card);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "message");
                m.put("attachments", List.of(attachment));
                yield new ServiceRequest("POST", uri(c.url()), headers, json.writeValueAsString(m), JSON);
            }
            case MATRIX -> {
                headers.put("Authorization", "Bearer " + c.get("accessToken"));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("msgtype", "m.text");
                m.put("body", plainOf(r.body()));
                m.put("format", "org.matrix.custom.html");
                m.put("formatted_body", r.body().replace("\n", "<br>"));
                // The same notice keeps the same transaction id, so a retry after a lost answer is not posted twice.
                String txn = "flick-" + UUID.nameUUIDFromBytes((c.id() + "|" + n.eventId() + "|" + n.kind() + "|" + n.ts())
                        .getBytes(StandardCharsets.UTF_8));
                yield new ServiceRequest("PUT", uri(base(c.get("homeserverUrl")) + "/_matrix/client/v3/rooms/"
                        + path(c.get("roomId")) + "/send/m.room.message/" + txn), headers, json.writeValueAsString(m), JSON);
            }
            case MATTERMOST -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("text", r.body());
                m.put("username", "FLick");
                yield new ServiceRequest("POST", uri(c.url()), headers, json.writeValueAsString(m), JSON);
            }
            case ROCKETCHAT -> {
                Map<String, Object> attachment = new LinkedHashMap<>();
                attachment.put("title", r.title());
                if (link != null) attachment.put("title_link", link);
                attachment.put("color", switch (level) { case "critical" -> "#D32F2F"; case "warning" -> "#F9A825";
                    case "resolved" -> "#2E7D32"; default -> "#1976D2"; });
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("text", r.body());
                m.put("attachments", List.of(attachment));
                yield new ServiceRequest("POST", uri(c.url()), headers, json.writeValueAsString(m), JSON);
            }
            case GOOGLECHAT -> new ServiceRequest("POST", uri(c.url()), headers, json.writeValueAsString(Map.of("text", r.body())),
                    JSON + "; charset=utf-8");
            case PAGERDUTY -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("routing_key", c.get("routingKey"));
                m.put("event_action", n.kind() == Notice.Kind.RESOLVED ? "resolve" : "trigger");
                m.put("dedup_key", dedupKey(c, n));
                if (n.kind() != Notice.Kind.RESOLVED) {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("body", r.body());
                    details.put("rule", n.ruleName());
                    details.put("value", n.valueText());
                    details.put("threshold", n.thresholdText());
                    Map<String, Object> payload = new LinkedHashMap<>();
                    payload.put("summary", WebhookPayload.clip(r.title(), 1024));
                    payload.put("source", n.serverName() == null ? (n.serverId() == null ? "FLick" : n.serverId()) : n.serverName());
                    payload.put("severity", switch (level) { case "critical" -> "critical"; case "warning" -> "warning"; default -> "info"; });
                    payload.put("timestamp", java.time.Instant.ofEpochMilli(n.ts()).toString());
                    if (n.metric() != null) payload.put("component", n.metric());
                    payload.put("custom_details", details);
                    m.put("payload", payload);
                    m.put("client", "FLick");
                    if (link != null) {
                        m.put("client_url", link);
                        m.put("links", List.of(Map.of("href", link, "text", "Open in FLick")));
                    }
                }
                yield new ServiceRequest("POST", uri(base(c.get("apiUrl")) + "/v2/enqueue"), headers, json.writeValueAsString(m), JSON);
            }
            case OPSGENIE -> {
                headers.put("Authorization", "GenieKey " + c.get("apiKey"));
                String alias = dedupKey(c, n);
                Map<String, Object> m = new LinkedHashMap<>();
                if (n.kind() == Notice.Kind.RESOLVED) {
                    m.put("source", "FLick");
                    m.put("note", r.title());
                    yield new ServiceRequest("POST", uri(base(c.get("apiUrl")) + "/v2/alerts/" + path(alias) + "/close?identifierType=alias"),
                            headers, json.writeValueAsString(m), JSON);
                }
                m.put("message", WebhookPayload.clip(r.title(), 130));
                m.put("alias", alias);
                m.put("description", WebhookPayload.clip(r.body(), 15000));
                m.put("priority", switch (level) { case "critical" -> "P1"; case "warning" -> "P3"; default -> "P5"; });
                m.put("source", "FLick");
                yield new ServiceRequest("POST", uri(base(c.get("apiUrl")) + "/v2/alerts"), headers, json.writeValueAsString(m), JSON);
            }
        };
    }

    /** One key per alert event, so the resolve closes what the trigger opened. */
    static String dedupKey(Channel c, Notice n) {
        return n.eventId() == null || n.kind() == Notice.Kind.TEST ? "flick-test-" + c.id() : "flick-" + n.eventId();
    }

    private static URI uri(String s) {
        if (s == null) throw new IllegalArgumentException("no URL configured");
        return URI.create(s.trim());
    }

    private static String base(String url) {
        if (url == null) return null;
        String u = url.trim();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String form(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (!b.isEmpty()) b.append('&');
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v == null ? "" : v, StandardCharsets.UTF_8));
        });
        return b.toString();
    }

    /** HTTP header values are ASCII; anything else goes as RFC 2047 (ntfy decodes it). */
    static String header(String s) {
        String one = s.replaceAll("[\\r\\n]+", " ");
        if (one.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) return one;
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(one.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** The plain-text fallback of an HTML body: tags dropped, entities decoded. */
    static String plainOf(String html) {
        return html.replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }
}
