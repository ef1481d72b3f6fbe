package dev.flick.hub.tokens;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.api.TimeParam;
import dev.flick.hub.auth.ApiTokenLimits;
import dev.flick.hub.auth.Roles;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.servers.ServerAccess;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** /api/v1/tokens: the caller's own API tokens. Only a signed-in user (not another API token) creates or revokes them. */
@RestController
class TokensController {

    private static final int MAX_NAME = 100;
    private static final int MAX_SERVERS = 1_000;

    private final ApiTokens tokens;
    private final ServerAccess access;
    private final EventLog audit;

    TokensController(ApiTokens tokens, ServerAccess access, EventLog audit) {
        this.tokens = tokens;
        this.access = access;
        this.audit = audit;
    }

    record CreateRequest(String name, String scope, List<String> serverIds, String expiresAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenView(String id, String token, String name, String scope, List<String> serverIds, Long expiresAt,
                     long createdAt, Long lastUsedAt) {

        static TokenView of(ApiTokens.Listed t, String token) {
            return new TokenView(t.id(), token, t.name(), t.scope().name(), t.serverIds(), t.expiresAt(), t.createdAt(),
                    t.lastUsedAt());
        }
    }

    @PostMapping("/api/v1/tokens")
    ResponseEntity<TokenView> create(@RequestBody(required = false) CreateRequest body, @AuthenticationPrincipal Jwt jwt) {
        requireSignedIn(jwt);
        if (body == null) throw ApiProblem.badField("name", "is required");
        String name = body.name() == null ? "" : body.name().strip();
        if (name.isEmpty()) throw ApiProblem.badField("name", "is required");
        if (name.length() > MAX_NAME) throw ApiProblem.badField("name", "must be at most " + MAX_NAME + " characters");
        if (name.chars().anyMatch(Character::isISOControl)) throw ApiProblem.badField("name", "must not hold control characters");
        ApiTokens.Scope scope;
        try {
            scope = ApiTokens.Scope.valueOf(body.scope() == null ? "" : body.scope());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badField("scope", "must be read or manage");
        }
        Set<String> servers = null;
        if (body.serverIds() != null) {
            if (body.serverIds().isEmpty()) throw ApiProblem.badField("serverIds", "must list at least one server, or be left out for all");
            if (body.serverIds().size() > MAX_SERVERS) throw ApiProblem.badField("serverIds", "must list at most " + MAX_SERVERS + " servers");
            servers = new LinkedHashSet<>();
            for (String id : body.serverIds()) {
                if (id == null || !access.canView(jwt.getSubject(), jwt.getClaimAsString("role"), id))
                    throw ApiProblem.badField("serverIds", "no server with id " + clip(id));
                servers.add(id);
            }
        }
        Long expiresAt = null;
        if (body.expiresAt() != null && !body.expiresAt().isBlank()) {
            expiresAt = TimeParam.instant("expiresAt", body.expiresAt(), 0);
            if (expiresAt <= System.currentTimeMillis()) throw ApiProblem.badField("expiresAt", "must be in the future");
        }
        ApiTokens.Created created = tokens.create(jwt.getSubject(), name, scope, servers, expiresAt);
        audit.hub("notice", "API token created: " + name + " (" + scope + ")", Roles.actor(jwt), "user:" + jwt.getSubject(), null);
        return ResponseEntity.status(HttpStatus.CREATED).body(TokenView.of(created.listed(), created.token()));
    }

    @GetMapping("/api/v1/tokens")
    List<TokenView> list(@AuthenticationPrincipal Jwt jwt) {
        return tokens.list(jwt.getSubject()).stream().map(t -> TokenView.of(t, null)).toList();
    }

    @DeleteMapping("/api/v1/tokens/{id}")
    ResponseEntity<Void> revoke(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        requireSignedIn(jwt);
        if (!tokens.revoke(jwt.getSubject(), id)) throw ApiProblem.notFound("Token");
        audit.hub("notice", "API token revoked: " + clip(id), Roles.actor(jwt), "user:" + jwt.getSubject(), null);
        return ResponseEntity.noContent().build();
    }

    /** An API token cannot mint or revoke tokens: a leaked one must not outlive its own revocation. */
    private static void requireSignedIn(Jwt jwt) {
        if (ApiTokenLimits.apiToken(jwt)) throw ApiProblem.forbidden("API tokens cannot manage API tokens; sign in");
    }

    private static String clip(String s) {
        if (s == null) return "null";
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
