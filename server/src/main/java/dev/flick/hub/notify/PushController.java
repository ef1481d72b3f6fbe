package dev.flick.hub.notify;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.flick.hub.api.ApiProblem;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Web Push: the hub's VAPID public key, and the signed-in user's subscribed devices (add, list, remove). */
@RestController
@RequestMapping("/api/v1/push")
class PushController {

    private final PushSubscriptions subscriptions;
    private final WebPushSender sender;
    private final VapidKeys keys;

    PushController(PushSubscriptions subscriptions, WebPushSender sender, VapidKeys keys) {
        this.subscriptions = subscriptions;
        this.sender = sender;
        this.keys = keys;
    }

    record Keys(String p256dh, String auth) {}

    record SubscribeRequest(String endpoint, Keys keys, String name) {}

    @GetMapping("/vapid-public-key")
    Map<String, String> vapidPublicKey() {
        return Map.of("publicKey", keys.publicKey());
    }

    @GetMapping("/subscriptions")
    List<Map<String, Object>> list(@AuthenticationPrincipal Jwt jwt) {
        return subscriptions.forUser(jwt.getSubject()).stream().map(this::view).toList();
    }

    @PostMapping("/subscriptions")
    ResponseEntity<Map<String, Object>> subscribe(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) SubscribeRequest req,
                                                  @RequestHeader(value = "User-Agent", required = false) String userAgent) {
        if (req == null || req.endpoint() == null || req.endpoint().isBlank()) throw ApiProblem.badField("endpoint", "is required");
        String endpoint = req.endpoint().trim();
        sender.invalidEndpoint(endpoint).ifPresent(why -> {
            throw ApiProblem.badField("endpoint", why);
        });
        if (req.keys() == null) throw ApiProblem.badField("keys", "is required: {p256dh, auth}");
        String p256dh = key("keys.p256dh", req.keys().p256dh(), 65);
        String auth = key("keys.auth", req.keys().auth(), 16);
        try {
            WebPushCrypto.decodePoint(WebPushCrypto.unb64(p256dh));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badField("keys.p256dh", "is not a P-256 public key");
        }
        String name = req.name() == null ? null : req.name().trim();
        if (name != null && name.length() > 100) throw ApiProblem.badField("name", "at most 100 characters");
        String ua = userAgent == null ? null : userAgent.length() > 300 ? userAgent.substring(0, 300) : userAgent;
        var saved = subscriptions.save(jwt.getSubject(), endpoint, p256dh, auth, name == null || name.isEmpty() ? null : name, ua,
                System.currentTimeMillis());
        return ResponseEntity.status(HttpStatus.CREATED).body(view(saved));
    }

    @DeleteMapping("/subscriptions/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        if (!subscriptions.delete(jwt.getSubject(), id)) throw ApiProblem.notFound("Subscription");
        return ResponseEntity.noContent().build();
    }

    private static String key(String field, String value, int bytes) {
        if (value == null || value.isBlank()) throw ApiProblem.badField(field, "is required");
        try {
            if (WebPushCrypto.unb64(value).length != bytes) throw ApiProblem.badField(field, "must be " + bytes + " bytes, base64url");
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badField(field, "must be base64url");
        }
        return value.trim();
    }

    private Map<String, Object> view(PushSubscriptions.Subscription s) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("id", s.id());
        Optional.ofNullable(s.name()).ifPresent(n -> out.put("name", n));
        Optional.ofNullable(s.userAgent()).ifPresent(u -> out.put("userAgent", u));
        out.put("service", s.service());
        out.put("createdAt", s.createdAt());
        out.putAll(sender.health(s.id()));
        return out;
    }
}
