package dev.flick.hub.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flick.hub.api.ApiProblem;

import tools.jackson.databind.JsonNode;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Alert channels: email recipients, a webhook or one of the notification services ({@link ChannelKind}).
 * Secret fields are write-only (reported as {@code hasX}, a secret URL masked); allowPrivate may only be set by an admin. Each channel shows its recent delivery failures.
 */
@RestController
@RequestMapping("/api/v1/alerts/channels")
class ChannelsController {

    private final ChannelRepository channels;
    private final Deliveries deliveries;

    private final PublicLinks links;

    ChannelsController(ChannelRepository channels, Deliveries deliveries, PublicLinks links) {
        this.channels = channels;
        this.deliveries = deliveries;
        this.links = links;
    }

    record ChannelRequest(String name, String type, JsonNode config, Boolean allowPrivate) {}

    record TestResult(boolean delivered, String error) {}

    @GetMapping
    List<Map<String, Object>> list(@AuthenticationPrincipal Jwt jwt) {
        return channels.all().stream().filter(c -> mine(jwt, c)).map(this::view).toList();
    }

    @GetMapping("/{id}")
    Map<String, Object> one(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        return view(find(jwt, id));
    }

    /** Admins see every channel; others the channels they made (someone else's is not found). */
    private static boolean mine(Jwt jwt, Channel c) {
        return "admin".equals(jwt.getClaimAsString("role")) || jwt.getSubject().equals(c.ownerId());
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(@AuthenticationPrincipal Jwt jwt, @RequestBody ChannelRequest req) {
        mayEdit(jwt);
        Channel c = channels.insert(validated(jwt, req, null));
        return ResponseEntity.status(HttpStatus.CREATED).body(view(c));
    }

    @PutMapping("/{id}")
    Map<String, Object> update(@AuthenticationPrincipal Jwt jwt, @PathVariable String id, @RequestBody ChannelRequest req) {
        Channel existing = find(jwt, id);
        mayEdit(jwt);
        Channel c = validated(jwt, req, existing);
        channels.update(c);
        return view(find(jwt, id));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        find(jwt, id);
        mayEdit(jwt);
        if (!channels.delete(id)) throw ApiProblem.notFound("Channel");
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/test")
    TestResult test(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        Channel c = find(jwt, id);
        mayEdit(jwt);
        long now = System.currentTimeMillis();
        Notice notice = new Notice(Notice.Kind.TEST, null, null, "Channel test", null, "FLick", "test", null, "info",
                "Test", null, null, "-", "-", now, now, List.of(), List.of(c.id()));
        return switch (deliveries.test(c, notice)) {
            case Outcome.Delivered d -> new TestResult(true, null);
            case Outcome.Failed f -> new TestResult(false, f.reason());
        };
    }

    record PreviewRequest(String type, JsonNode config, String source) {}

    /**
     * Renders a channel's templates for firing, reminder and resolved against the latest real notice
     * (source "latest", the default when one exists) or a sample, exactly as the service would receive them.
     */
    @PostMapping("/preview")
    Map<String, Object> preview(@AuthenticationPrincipal Jwt jwt, @RequestBody PreviewRequest req) {
        if (req == null) throw ApiProblem.badField("type", "is required");
        ChannelKind kind = ChannelKind.of(req.type()).filter(ChannelKind::templated)
                .orElseThrow(() -> ApiProblem.badField("type", "must be a channel type that has templates"));
        JsonNode config = req.config();
        String format = config == null ? null : config.path("format").asString(null);
        if (kind == ChannelKind.WEBHOOK && format == null) format = "custom";
        Template.Set set = templates(kind, config == null ? null : config.get("templates"), format);
        Notice base = null;
        String source = "sample";
        if (!"sample".equals(req.source())) {
            base = channels.latestNoticeJson().map(j -> {
                try {
                    return JSON.readValue(j, Notice.class);
                } catch (RuntimeException e) {
                    return null;
                }
            }).orElse(null);
            if (base != null) source = "latest";
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        long now = System.currentTimeMillis();
        for (Notice.Kind k : List.of(Notice.Kind.FIRING, Notice.Kind.REMINDER, Notice.Kind.RESOLVED)) {
            Notice n = base == null ? Template.sample(k, now) : withKind(base, k);
            String link = n.serverId() == null ? links.base() : links.moment(n.serverId(), n.ts());
            Template.Rendered r = Template.render(kind, set, n, link);
            Template.Part def = Template.defaults(kind, k);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("title", r.title());
            one.put("body", r.body());
            one.put("defaultTitle", def.title());
            one.put("defaultBody", def.body());
            out.put(k.name().toLowerCase(java.util.Locale.ROOT), one);
        }
        out.put("placeholders", Template.PLACEHOLDERS);
        return out;
    }

    private static Notice withKind(Notice n, Notice.Kind k) {
        return new Notice(k, n.eventId(), n.ruleId(), n.ruleName(), n.serverId(), n.serverName(), n.metric(), n.mount(), n.level(),
                n.metricLabel(), n.value(), n.threshold(), n.valueText(), n.thresholdText(), n.ts(), n.startedAt(), n.processes(),
                List.of());
    }

    @GetMapping("/{id}/deliveries")
    List<Deliveries.Delivery> deliveries(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        find(jwt, id);
        return deliveries.forChannel(id, 100);
    }

    private Channel find(Jwt jwt, String id) {
        return channels.find(id).filter(c -> mine(jwt, c)).orElseThrow(() -> ApiProblem.notFound("Channel"));
    }

    private static void mayEdit(Jwt jwt) {
        String role = jwt.getClaimAsString("role");
        if (!"admin".equals(role) && !"member".equals(role)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Viewers cannot change alert channels");
        }
    }

    private Channel validated(Jwt jwt, ChannelRequest req, Channel existing) {
        if (req == null) throw ApiProblem.badField("name", "is required");
        String name = req.name() == null ? "" : req.name().trim();
        if (name.isEmpty() || name.length() > 100) throw ApiProblem.badField("name", "is required (at most 100 characters)");
        String type = req.type() == null ? (existing == null ? null : existing.type()) : req.type();
        ChannelKind kind = ChannelKind.of(type).orElseThrow(() -> ApiProblem.badField("type", "must be one of " + ChannelKind.names()));
        JsonNode config = req.config();
        if (config == null || !config.isObject()) throw ApiProblem.badField("config", "is required");
        boolean admin = "admin".equals(jwt.getClaimAsString("role"));
        boolean allowPrivate = Boolean.TRUE.equals(req.allowPrivate());
        if (allowPrivate && !admin && (existing == null || !existing.allowPrivate())) {
            throw ApiProblem.badField("allowPrivate", "only an admin may let a channel reach private addresses");
        }
        String id = existing == null ? null : existing.id();
        String owner = existing == null ? jwt.getSubject() : existing.ownerId();
        long created = existing == null ? 0 : existing.createdAt();
        if (kind == ChannelKind.EMAIL) {
            JsonNode to = config.get("to");
            if (to == null || !to.isArray() || to.isEmpty() || to.size() > 50) {
                throw ApiProblem.badField("config.to", "must list 1 to 50 email addresses");
            }
            List<String> addresses = new ArrayList<>();
            for (JsonNode a : to) {
                String s = a.isString() ? a.asString().trim() : "";
                try {
                    InternetAddress parsed = new InternetAddress(s, true);
                    parsed.validate();
                    if (!s.contains("@") || s.contains("<")) throw new AddressException(s);
                } catch (AddressException e) {
                    throw ApiProblem.badField("config.to", "is not a valid email address: " + WebhookPayload.clip(s, 80));
                }
                addresses.add(s);
            }
            return new Channel(id, name, kind, addresses, null, null, null, null, false, owner, created);
        }
        Channel same = existing != null && existing.kind() == kind ? existing : null;
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> sealed = new LinkedHashMap<>();
        for (ChannelKind.Field f : kind.fields) {
            String field = "config." + f.name();
            JsonNode node = config.get(f.name());
            if (node != null && !node.isNull() && !node.isString()) throw ApiProblem.badField(field, "must be a string");
            String value = node == null || node.isNull() ? "" : node.asString().trim();
            if (value.isEmpty() && f.secret() && same != null && same.secrets().containsKey(f.name())) {
                sealed.put(f.name(), same.secrets().get(f.name())); // the client never saw it: keep it
                continue;
            }
            if (value.isEmpty()) {
                if (f.required()) throw ApiProblem.badField(field, f.url() ? "is required (an http:// or https:// URL)" : "is required");
                continue;
            }
            if (value.length() > 2000) throw ApiProblem.badField(field, "is too long (at most 2000 characters)");
            if (f.url()) {
                var bad = WebhookSender.invalid(value, allowPrivate);
                if (bad.isPresent()) throw ApiProblem.badField(field, bad.get());
            } else if (value.chars().anyMatch(ch -> ch < 0x20)) {
                throw ApiProblem.badField(field, "must be one line");
            }
            (f.secret() ? sealed : settings).put(f.name(), value);
        }
        if (kind == ChannelKind.WEBHOOK) {
            String format = settings.getOrDefault("format", "json");
            if (!Channel.FORMATS.contains(format)) throw ApiProblem.badField("config.format", "must be json, slack, discord or custom");
            settings.put("format", format);
        }
        if (kind == ChannelKind.MATRIX && !settings.get("roomId").matches("[!#][^:]+:.+")) {
            throw ApiProblem.badField("config.roomId", "must be a room id (!abc:example.org) or alias (#ops:example.org)");
        }
        Map<String, String> headers = kind == ChannelKind.WEBHOOK ? headers(config.get("headers"), same) : Map.of();
        Template.Set templates = templates(kind, config.get("templates"), settings.get("format"));
        return new Channel(id, name, kind, List.of(), settings, sealed, headers, templates, allowPrivate, owner, created);
    }

    private static final java.util.Set<String> RESERVED_HEADERS = java.util.Set.of("host", "content-length", "content-type",
            "transfer-encoding", "connection", "upgrade", "te", "trailer", "expect");

    /** A webhook's custom headers; left out on update, the stored ones stay. Values count as secrets. */
    private static Map<String, String> headers(JsonNode node, Channel same) {
        if (node == null || node.isNull()) return same == null ? Map.of() : same.headers();
        if (!node.isObject() || node.size() > 20) throw ApiProblem.badField("config.headers", "must be an object of at most 20 headers");
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : node.properties()) {
            String field = "config.headers." + e.getKey();
            if (!e.getKey().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}") || RESERVED_HEADERS.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
                throw ApiProblem.badField(field, "is not a header name FLick may set");
            }
            JsonNode v = e.getValue();
            String value = v == null || v.isNull() ? "" : v.asString("");
            if (value.isEmpty() && same != null && same.headers().containsKey(e.getKey())) value = same.headers().get(e.getKey());
            if (value.isEmpty() || value.length() > 2000 || value.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw ApiProblem.badField(field, "must be one line of 1 to 2000 characters");
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    /** Templates as sent: every placeholder known, within size, and a custom webhook body still JSON once rendered. */
    static Template.Set templates(ChannelKind kind, JsonNode node, String format) {
        if (node == null || node.isNull()) return Template.Set.DEFAULTS;
        if (!node.isObject()) throw ApiProblem.badField("config.templates", "must be an object");
        for (var e : node.properties()) {
            if (!List.of("firing", "reminder", "resolved").contains(e.getKey())) {
                throw ApiProblem.badField("config.templates." + e.getKey(), "must be firing, reminder or resolved");
            }
            if (!e.getValue().isObject()) throw ApiProblem.badField("config.templates." + e.getKey(), "must be an object");
            for (var part : e.getValue().properties()) {
                String field = "config.templates." + e.getKey() + "." + part.getKey();
                if (!List.of("title", "body").contains(part.getKey())) throw ApiProblem.badField(field, "must be title or body");
                JsonNode v = part.getValue();
                if (v.isNull()) continue;
                if (!v.isString() || v.asString().length() > 4000) throw ApiProblem.badField(field, "must be text of at most 4000 characters");
                var unknown = Template.unknownPlaceholder(v.asString(), part.getKey().equals("title"));
                if (unknown.isPresent()) {
                    throw ApiProblem.badField(field, "has an unknown placeholder {{" + WebhookPayload.clip(unknown.get(), 40) + "}} (known: "
                            + String.join(", ", Template.PLACEHOLDERS) + ")");
                }
            }
        }
        Template.Set set = ChannelRepository.templates(node);
        if (kind == ChannelKind.WEBHOOK && "custom".equals(format)) {
            for (Notice.Kind k : List.of(Notice.Kind.FIRING, Notice.Kind.REMINDER, Notice.Kind.RESOLVED)) {
                String body = Template.render(kind, set, Template.sample(k, 0), "https://flick.example.com/").body();
                try {
                    JSON.readTree(body);
                } catch (RuntimeException e) {
                    throw ApiProblem.badField("config.templates." + k.name().toLowerCase(java.util.Locale.ROOT) + ".body",
                            "is not valid JSON once rendered");
                }
            }
        }
        return set;
    }

    private static final tools.jackson.databind.ObjectMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    /** What the API shows of a channel: plain fields, {@code hasX} for each secret set, a secret URL only masked. */
    private Map<String, Object> view(Channel c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("type", c.type());
        m.put("config", configView(c));
        m.put("allowPrivate", c.allowPrivate());
        m.put("createdAt", c.createdAt());
        m.put("health", deliveries.health(c.id()));
        return m;
    }

    static Map<String, Object> configView(Channel c) {
        Map<String, Object> config = new LinkedHashMap<>();
        if (c.kind() == ChannelKind.EMAIL) {
            config.put("to", c.to());
            return config;
        }
        for (ChannelKind.Field f : c.kind().fields) {
            if (!f.secret()) {
                if (c.settings().containsKey(f.name())) config.put(f.name(), c.settings().get(f.name()));
                continue;
            }
            String v = c.secrets().get(f.name());
            config.put("has" + Character.toUpperCase(f.name().charAt(0)) + f.name().substring(1), v != null);
            if (f.url() && v != null) config.put(f.name(), Channel.mask(v));
        }
        if (c.kind() == ChannelKind.WEBHOOK) {
            config.put("format", c.format());
            config.put("headerNames", c.headers().keySet().stream().sorted().toList());
        }
        config.put("templates", c.templates().view());
        return config;
    }
}
