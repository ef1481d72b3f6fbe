package dev.flick.hub.alerts;

import java.util.List;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.servers.ServerAccess;
import dev.flick.hub.servers.Servers;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Silences (maintenance windows): admins and members create and remove them; everyone sees those that touch
 * servers they may see. A silence without server and rule covers the whole hub, so only an admin may make one.
 */
@RestController
@RequestMapping("/api/v1/silences")
class SilencesController {

    /** A maintenance window, not a way to switch alerting off: at most 30 days. */
    static final long MAX_WINDOW_MS = 30L * 86_400_000L;

    private final Silences silences;
    private final RuleRepository rules;
    private final Servers servers;
    private final ServerAccess access;

    SilencesController(Silences silences, RuleRepository rules, Servers servers, ServerAccess access) {
        this.silences = silences;
        this.rules = rules;
        this.servers = servers;
        this.access = access;
    }

    record SilenceRequest(String serverId, String ruleId, Long startsAt, Long endsAt, String comment) {}

    @GetMapping
    List<Silences.Silence> list(@AuthenticationPrincipal Jwt jwt) {
        return silences.notOver(System.currentTimeMillis()).stream().filter(s -> visible(jwt, s)).toList();
    }

    @PostMapping
    ResponseEntity<Silences.Silence> create(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) SilenceRequest r) {
        RulesController.mayEdit(jwt);
        long now = System.currentTimeMillis();
        if (r == null) throw ApiProblem.badField("endsAt", "is required");
        String role = jwt.getClaimAsString("role");
        String serverId = blankToNull(r.serverId());
        String ruleId = blankToNull(r.ruleId());
        if (serverId != null && (!servers.exists(serverId) || !access.canView(jwt.getSubject(), role, serverId))) {
            throw ApiProblem.badField("serverId", "no server with that id");
        }
        if (ruleId != null && rules.find(ruleId).filter(x -> "admin".equals(role) || jwt.getSubject().equals(x.ownerId())).isEmpty()) {
            throw ApiProblem.badField("ruleId", "no rule with that id");
        }
        if (serverId == null && ruleId == null && !"admin".equals(role)) {
            throw ApiProblem.badField("serverId", "give a server or a rule (only an admin may silence the whole hub)");
        }
        long startsAt = r.startsAt() == null ? now : r.startsAt();
        if (startsAt < 0) throw ApiProblem.badField("startsAt", "must be epoch milliseconds");
        if (r.endsAt() == null) throw ApiProblem.badField("endsAt", "is required (epoch milliseconds)");
        long endsAt = r.endsAt();
        if (endsAt <= startsAt) throw ApiProblem.badField("endsAt", "must be after startsAt");
        if (endsAt <= now) throw ApiProblem.badField("endsAt", "must be in the future");
        if (endsAt - startsAt > MAX_WINDOW_MS) throw ApiProblem.badField("endsAt", "a silence lasts at most 30 days");
        String comment = r.comment() == null ? "" : r.comment().trim();
        if (comment.isEmpty() || comment.length() > 500) throw ApiProblem.badField("comment", "is required (at most 500 characters)");
        Silences.Silence s = silences.create(serverId, ruleId, startsAt, endsAt, comment, jwt.getSubject(), now);
        return ResponseEntity.status(HttpStatus.CREATED).body(s);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        RulesController.mayEdit(jwt);
        Silences.Silence s = silences.find(id).filter(x -> visible(jwt, x)).orElseThrow(() -> ApiProblem.notFound("Silence"));
        if (!"admin".equals(jwt.getClaimAsString("role")) && !jwt.getSubject().equals(s.createdBy())) {
            throw ApiProblem.forbidden("Only an admin or whoever made a silence may end it");
        }
        silences.delete(id);
        return ResponseEntity.noContent().build();
    }

    private boolean visible(Jwt jwt, Silences.Silence s) {
        return s.serverId() == null || access.canView(jwt.getSubject(), jwt.getClaimAsString("role"), s.serverId());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
