package dev.flick.hub.alerts;

import dev.flick.hub.servers.ServerAccess;

import java.util.List;
import java.util.Set;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.api.TimeParam;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Alert events: filter by state, severity, server, rule and time; acknowledge one. */
@RestController
@RequestMapping("/api/v1/alerts/events")
class EventsController {

    private final EventRepository events;
    private final AlertAcks acks;
    private final ServerAccess access;

    EventsController(EventRepository events, AlertAcks acks, ServerAccess access) {
        this.events = events;
        this.acks = acks;
        this.access = access;
    }

    @GetMapping
    List<AlertEvent> list(@RequestParam(required = false) String state, @RequestParam(required = false) String severity,
                          @RequestParam(required = false) String serverId, @RequestParam(required = false) String ruleId,
                          @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                          @RequestParam(defaultValue = "200") int limit, @AuthenticationPrincipal Jwt jwt) {
        if (serverId != null) access.requireView(jwt, serverId);
        if (state != null && !Set.of("firing", "resolved").contains(state)) throw ApiProblem.badField("state", "must be firing or resolved");
        if (severity != null && !RulesController.LEVELS.contains(severity)) {
            throw ApiProblem.badField("severity", "must be info, warning or critical");
        }
        if (limit < 1 || limit > 1000) throw ApiProblem.badField("limit", "must be between 1 and 1000");
        long toMs = TimeParam.instant("to", to, Long.MAX_VALUE / 2);
        long fromMs = TimeParam.instant("from", from, 0);
        if (fromMs > toMs) throw ApiProblem.badField("from", "must not be after to");
        String role = jwt.getClaimAsString("role");
        if ("admin".equals(role)) return events.find(new EventRepository.Filter(state, severity, serverId, ruleId, fromMs, toMs, limit));
        return events.find(new EventRepository.Filter(state, severity, serverId, ruleId, fromMs, toMs, limit),
                access.visibleIds(jwt.getSubject(), role));
    }

    @GetMapping("/{id}")
    AlertEvent one(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        return visible(id, jwt);
    }

    private AlertEvent visible(String id, Jwt jwt) {
        AlertEvent e = events.find(id).orElseThrow(() -> ApiProblem.notFound("Alert event"));
        if (!access.canView(jwt.getSubject(), jwt.getClaimAsString("role"), e.serverId())) throw ApiProblem.notFound("Alert event");
        return e;
    }

    @PostMapping("/{id}/ack")
    AlertEvent ack(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        AlertEvent e = visible(id, jwt);
        access.requireManage(jwt, e.serverId());
        String role = jwt.getClaimAsString("role");
        if (!"admin".equals(role) && !"member".equals(role)) {
            throw new ApiProblem(org.springframework.http.HttpStatus.FORBIDDEN, "Viewers cannot acknowledge alerts");
        }
        return acks.ack(id, jwt.getSubject());
    }
}
