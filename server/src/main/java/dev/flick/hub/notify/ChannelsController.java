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
 * Alert channels: email recipients or a webhook. The webhook URL is write-only (shown masked); allowPrivate
 * may only be set by an admin. Each channel shows its recent delivery failures.
 */
@RestController
@RequestMapping("/api/v1/alerts/channels")
class ChannelsController {

    private final ChannelRepository channels;
    private final Deliveries deliveries;

    ChannelsController(ChannelRepository channels, Deliveries deliveries) {
        this.channels = channels;
        this.deliveries = deliveries;
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
        if (type == null || !Channel.TYPES.contains(type)) throw ApiProblem.badField("type", "must be email or webhook");
        JsonNode config = req.config();
        if (config == null || !config.isObject()) throw ApiProblem.badField("config", "is required");
        boolean admin = "admin".equals(jwt.getClaimAsString("role"));
        boolean allowPrivate = Boolean.TRUE.equals(req.allowPrivate());
        if (allowPrivate && !admin && (existing == null || !existing.allowPrivate())) {
            throw ApiProblem.badField("allowPrivate", "only an admin may let a webhook reach private addresses");
        }
        String id = existing == null ? null : existing.id();
        String owner = existing == null ? jwt.getSubject() : existing.ownerId();
        long created = existing == null ? 0 : existing.createdAt();
        if ("email".equals(type)) {
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
            return new Channel(id, name, type, addresses, null, null, false, owner, created);
        }
        String format = config.path("format").asString("json");
        if (!Channel.FORMATS.contains(format)) throw ApiProblem.badField("config.format", "must be json, slack or discord");
        JsonNode urlNode = config.get("url");
        String url;
        if ((urlNode == null || urlNode.isNull() || urlNode.asString("").isBlank()) && existing != null && existing.url() != null) {
            url = existing.url(); // the client only ever saw it masked: keep it
        } else {
            url = urlNode == null || !urlNode.isString() ? "" : urlNode.asString().trim();
            if (url.isEmpty() || url.length() > 2000) throw ApiProblem.badField("config.url", "is required (an http:// or https:// URL)");
        }
        var bad = WebhookSender.invalid(url, allowPrivate);
        if (bad.isPresent()) throw ApiProblem.badField("config.url", bad.get());
        return new Channel(id, name, type, List.of(), url, format, allowPrivate, owner, created);
    }

    private Map<String, Object> view(Channel c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("type", c.type());
        Map<String, Object> config = new LinkedHashMap<>();
        if ("email".equals(c.type())) {
            config.put("to", c.to());
        } else {
            config.put("url", c.url() == null ? null : Channel.mask(c.url()));
            config.put("format", c.format());
        }
        m.put("config", config);
        m.put("allowPrivate", c.allowPrivate());
        m.put("createdAt", c.createdAt());
        m.put("health", deliveries.health(c.id()));
        return m;
    }
}
