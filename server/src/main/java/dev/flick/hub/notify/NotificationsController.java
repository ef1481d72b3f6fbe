package dev.flick.hub.notify;

import java.util.Map;

import dev.flick.hub.api.ApiProblem;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in user's in-app notifications: newest first with the unread count; mark one or all read; clear one or all. */
@RestController
@RequestMapping("/api/v1/notifications")
class NotificationsController {

    private final Inbox inbox;

    NotificationsController(Inbox inbox) {
        this.inbox = inbox;
    }

    @GetMapping
    Inbox.Page list(@AuthenticationPrincipal Jwt jwt, @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) throw ApiProblem.badField("limit", "must be between 1 and 500");
        return inbox.page(jwt.getSubject(), limit);
    }

    @PostMapping("/{id}/read")
    Map<String, Object> read(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        inbox.markRead(jwt.getSubject(), id).orElseThrow(() -> ApiProblem.notFound("Notification"));
        return Map.of("id", id, "read", true);
    }

    @DeleteMapping("/{id}")
    Map<String, Object> clear(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        if (!inbox.clear(jwt.getSubject(), id)) throw ApiProblem.notFound("Notification");
        return Map.of("id", id, "cleared", true);
    }

    @DeleteMapping
    Map<String, Object> clearAll(@AuthenticationPrincipal Jwt jwt) {
        return Map.of("cleared", inbox.clearAll(jwt.getSubject()));
    }

    @PostMapping("/read-all")
    Map<String, Object> readAll(@AuthenticationPrincipal Jwt jwt) {
        return Map.of("marked", inbox.markAllRead(jwt.getSubject()));
    }
}
