package dev.flick.hub.alerts;

import dev.flick.hub.servers.ServerAccess;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.notify.Notifications;
import dev.flick.hub.servers.Servers;

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

/** Alert rules: validated on the way in (400 naming the field), applied to the engine at once. */
@RestController
@RequestMapping("/api/v1/alerts/rules")
class RulesController {

    static final Set<String> LEVELS = Set.of("info", "warning", "critical");
    private static final int MAX_DURATION = 7 * 86_400;

    private final RuleRepository rules;
    private final Alerts alerts;
    private final Servers servers;
    private final Notifications notifications;
    private final ServerAccess access;

    RulesController(RuleRepository rules, Alerts alerts, Servers servers, Notifications notifications, ServerAccess access) {
        this.access = access;
        this.rules = rules;
        this.alerts = alerts;
        this.servers = servers;
        this.notifications = notifications;
    }

    record RuleRequest(String name, String metric, String comparator, Double warning, Double critical, String warningLevel,
                       String criticalLevel, Integer durationSeconds, Double recoveryMargin, String mount, List<String> serverIds,
                       Integer repeatMinutes, List<String> channelIds, Boolean enabled, Long mutedUntil) {}

    @GetMapping
    List<AlertRule> list(@AuthenticationPrincipal Jwt jwt) {
        return rules.all().stream().filter(r -> mine(jwt, r)).toList();
    }

    @GetMapping("/{id}")
    AlertRule one(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        return find(jwt, id);
    }

    /** Admins see every rule; others the rules they made (someone else's rule is not found). */
    private static boolean mine(Jwt jwt, AlertRule r) {
        return "admin".equals(jwt.getClaimAsString("role")) || jwt.getSubject().equals(r.ownerId());
    }

    @PostMapping
    ResponseEntity<AlertRule> create(@AuthenticationPrincipal Jwt jwt, @RequestBody RuleRequest req) {
        mayEdit(jwt);
        AlertRule stored = rules.insert(validated(jwt, req), jwt.getSubject());
        alerts.reload();
        return ResponseEntity.status(HttpStatus.CREATED).body(stored);
    }

    @PutMapping("/{id}")
    AlertRule update(@AuthenticationPrincipal Jwt jwt, @PathVariable String id, @RequestBody RuleRequest req) {
        AlertRule existing = find(jwt, id);
        mayEdit(jwt);
        AlertRule r = validated(jwt, req).withId(id, existing.createdAt(), existing.ownerId());
        rules.update(r);
        alerts.reload();
        return find(jwt, id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        find(jwt, id);
        mayEdit(jwt);
        if (!rules.delete(id)) throw ApiProblem.notFound("Rule");
        alerts.reload();
        return ResponseEntity.noContent().build();
    }

    private AlertRule find(Jwt jwt, String id) {
        return rules.find(id).filter(r -> mine(jwt, r)).orElseThrow(() -> ApiProblem.notFound("Rule"));
    }

    static void mayEdit(Jwt jwt) {
        String role = jwt.getClaimAsString("role");
        if (!"admin".equals(role) && !"member".equals(role)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Viewers cannot change alerts");
        }
    }

    private AlertRule validated(Jwt jwt, RuleRequest r) {
        if (r == null) throw ApiProblem.badField("name", "is required");
        String name = r.name() == null ? "" : r.name().trim();
        if (name.isEmpty() || name.length() > 100) throw ApiProblem.badField("name", "is required (at most 100 characters)");
        Metric metric = Metric.of(r.metric());
        if (metric == null) throw ApiProblem.badField("metric", "must be one of " + Metric.ids());
        String comparator = r.comparator() == null && metric == Metric.OFFLINE ? ">" : r.comparator();
        if (!">".equals(comparator) && !"<".equals(comparator)) throw ApiProblem.badField("comparator", "must be \">\" or \"<\"");
        if (metric == Metric.OFFLINE && "<".equals(comparator)) {
            throw ApiProblem.badField("comparator", "server.offline measures silence: only \">\" makes sense");
        }
        Double warning = r.warning();
        Double critical = r.critical();
        if (warning != null && !Double.isFinite(warning)) throw ApiProblem.badField("warning", "must be a number");
        if (critical != null && !Double.isFinite(critical)) throw ApiProblem.badField("critical", "must be a number");
        if (warning == null && critical == null && !metric.hasDefaultThreshold()) {
            throw ApiProblem.badField("warning", "give a warning or a critical threshold (or both)");
        }
        if (metric.unit == Metric.Unit.PERCENT) {
            if (warning != null && (warning < 0 || warning > 100)) throw ApiProblem.badField("warning", "is a percentage: 0 to 100");
            if (critical != null && (critical < 0 || critical > 100)) throw ApiProblem.badField("critical", "is a percentage: 0 to 100");
        } else {
            if (warning != null && warning < 0) throw ApiProblem.badField("warning", "must not be negative");
            if (critical != null && critical < 0) throw ApiProblem.badField("critical", "must not be negative");
        }
        if (warning != null && critical != null) {
            if (">".equals(comparator) && critical <= warning) {
                throw ApiProblem.badField("critical", "must be above the warning threshold when the comparator is \">\"");
            }
            if ("<".equals(comparator) && critical >= warning) {
                throw ApiProblem.badField("critical", "must be below the warning threshold when the comparator is \"<\"");
            }
        }
        String warningLevel = r.warningLevel() == null ? "warning" : r.warningLevel();
        String criticalLevel = r.criticalLevel() == null ? "critical" : r.criticalLevel();
        if (!LEVELS.contains(warningLevel)) throw ApiProblem.badField("warningLevel", "must be info, warning or critical");
        if (!LEVELS.contains(criticalLevel)) throw ApiProblem.badField("criticalLevel", "must be info, warning or critical");
        int duration = r.durationSeconds() == null ? 0 : r.durationSeconds();
        if (duration < 0 || duration > MAX_DURATION) throw ApiProblem.badField("durationSeconds", "must be between 0 and " + MAX_DURATION);
        Double margin = r.recoveryMargin();
        if (margin != null && (!Double.isFinite(margin) || margin < 0)) {
            throw ApiProblem.badField("recoveryMargin", "must be zero or a positive number");
        }
        String mount = r.mount() == null || r.mount().isBlank() ? null : r.mount().trim();
        if (mount != null && metric != Metric.DISK_USAGE && !metric.perPart() && metric != Metric.SERVICE_FAILED
                && !metric.perContainer()) {
            throw ApiProblem.badField("mount", "only disk.usage (a mount), sensor.temperature (chip/label), gpu.* (a GPU id), "
                    + "smart.* (a device), service.failed (a unit) and container.* (a container name) rules watch a part");
        }
        if (mount != null && mount.length() > 300) throw ApiProblem.badField("mount", "is too long");
        List<String> serverIds = null;
        if (r.serverIds() != null) {
            serverIds = new ArrayList<>(new LinkedHashSet<>(r.serverIds()));
            if (serverIds.isEmpty()) throw ApiProblem.badField("serverIds", "leave it out to watch every server, or name at least one");
            for (String id : serverIds) {
                if (id == null || !access.canView(jwt.getSubject(), jwt.getClaimAsString("role"), id)) throw ApiProblem.badField("serverIds", "no server with id " + clip(id));
            }
        }
        Integer repeat = r.repeatMinutes() == null || r.repeatMinutes() == 0 ? null : r.repeatMinutes();
        if (repeat != null && (repeat < 1 || repeat > 10_080)) throw ApiProblem.badField("repeatMinutes", "must be between 1 and 10080");
        List<String> channelIds = r.channelIds() == null ? List.of() : new ArrayList<>(new LinkedHashSet<>(r.channelIds()));
        for (String id : channelIds) {
            if (id == null || !notifications.channelVisible(id, jwt.getSubject(), jwt.getClaimAsString("role"))) throw ApiProblem.badField("channelIds", "no channel with id " + clip(id));
        }
        if (r.mutedUntil() != null && r.mutedUntil() < 0) throw ApiProblem.badField("mutedUntil", "must be epoch milliseconds");
        return new AlertRule(null, name, metric.id, comparator, warning, critical, warningLevel, criticalLevel, duration, margin, mount,
                serverIds, repeat, channelIds, r.enabled() == null || r.enabled(), r.mutedUntil(), null, 0);
    }

    private static String clip(String s) {
        return s == null ? "null" : s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
