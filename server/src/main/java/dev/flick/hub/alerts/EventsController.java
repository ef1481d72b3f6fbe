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

    /**
     * Filters take one value or several, comma-separated (any of them): state, level (severity is its older name),
     * serverId, ruleId; plus from/to and limit.
     */
    @GetMapping
    List<AlertEvent> list(@RequestParam(required = false) String state, @RequestParam(required = false) String severity,
                          @RequestParam(required = false) String level,
                          @RequestParam(required = false) String serverId, @RequestParam(required = false) String ruleId,
                          @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                          @RequestParam(defaultValue = "200") int limit, @AuthenticationPrincipal Jwt jwt) {
        List<String> servers = values(serverId);
        for (String id : servers) access.requireView(jwt, id);
        List<String> states = values(state);
        if (!Set.of("firing", "resolved").containsAll(states)) throw ApiProblem.badField("state", "must be firing or resolved");
        List<String> levels = new java.util.ArrayList<>(values(level));
        levels.addAll(values(severity));
        if (!RulesController.LEVELS.containsAll(levels)) {
            throw ApiProblem.badField(level != null ? "level" : "severity", "must be info, warning or critical");
        }
        if (limit < 1 || limit > 1000) throw ApiProblem.badField("limit", "must be between 1 and 1000");
        long toMs = TimeParam.instant("to", to, Long.MAX_VALUE / 2);
        long fromMs = TimeParam.instant("from", from, 0);
        if (fromMs > toMs) throw ApiProblem.badField("from", "must not be after to");
        var filter = new EventRepository.Filter(states, List.copyOf(levels), servers, values(ruleId), fromMs, toMs, limit);
        String role = jwt.getClaimAsString("role");
        if ("admin".equals(role)) return events.find(filter);
        return events.find(filter, access.visibleIds(jwt.getSubject(), role));
    }

    private static List<String> values(String param) {
        if (param == null || param.isBlank()) return List.of();
        return java.util.Arrays.stream(param.split(",")).map(String::trim).filter(v -> !v.isEmpty()).distinct().toList();
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
