package dev.flick.hub.servers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.auth.Roles;
import dev.flick.hub.auth.SessionsEnded;
import dev.flick.hub.auth.UserAccounts;
import dev.flick.hub.logs.EventLog;

import org.springframework.context.event.EventListener;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** GET/PUT /api/v1/servers/{id}/access: who else sees a server, read-only (view) or able to change it (manage). */
@RestController
class AccessController {

    private final ServerAccess access;
    private final UserAccounts users;
    private final EventLog audit;

    AccessController(ServerAccess access, UserAccounts users, EventLog audit) {
        this.access = access;
        this.users = users;
        this.audit = audit;
    }

    record GrantRequest(String userId, String level) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GrantView(String userId, String level, String email, String name) {}

    @GetMapping("/api/v1/servers/{id}/access")
    List<GrantView> get(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        access.requireManage(jwt, id);
        return views(id);
    }

    @PutMapping("/api/v1/servers/{id}/access")
    List<GrantView> put(@PathVariable String id, @RequestBody List<GrantRequest> body, @AuthenticationPrincipal Jwt jwt) {
        access.requireView(jwt, id);
        if (!access.canShare(jwt.getSubject(), ServerAccess.role(jwt), id))
            throw ApiProblem.forbidden("Only the server's owner or an admin may share it");
        if (body == null) throw ApiProblem.badField("body", "must be a list of {userId, level}");
        List<ServerAccess.Grant> grants = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String owner = access.owner(id);
        for (int i = 0; i < body.size(); i++) {
            GrantRequest g = body.get(i);
            String field = "[" + i + "]";
            if (g == null || g.userId() == null || users.listed(g.userId()).isEmpty())
                throw ApiProblem.badField(field + ".userId", "is not a user");
            ServerAccess.Level level;
            try {
                level = ServerAccess.Level.valueOf(g.level() == null ? "" : g.level());
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badField(field + ".level", "must be view or manage");
            }
            if (g.userId().equals(owner)) throw ApiProblem.badField(field + ".userId", "owns this server already");
            if (!seen.add(g.userId())) throw ApiProblem.badField(field + ".userId", "is listed twice");
            grants.add(new ServerAccess.Grant(g.userId(), level));
        }
        List<ServerAccess.Grant> before = access.grants(id);
        access.replace(id, grants, jwt.getSubject());
        audit.hub("notice", "Server access changed: " + describe(before) + " → " + describe(grants), Roles.actor(jwt),
                "server:" + id, id);
        return views(id);
    }

    private String describe(List<ServerAccess.Grant> grants) {
        if (grants.isEmpty()) return "nobody";
        return String.join(", ", grants.stream()
                .map(g -> users.listed(g.userId()).map(UserAccounts.Listed::email).orElse(g.userId()) + " (" + g.level() + ")")
                .toList());
    }

    private List<GrantView> views(String id) {
        return access.grants(id).stream().map(g -> {
            var u = users.listed(g.userId());
            return new GrantView(g.userId(), g.level().name(), u.map(UserAccounts.Listed::email).orElse(null),
                    u.map(UserAccounts.Listed::name).orElse(null));
        }).toList();
    }

    /** A deleted user's shares went with them (ON DELETE CASCADE): re-read. */
    @EventListener
    void onSessionsEnded(SessionsEnded e) {
        access.reload();
    }
}
