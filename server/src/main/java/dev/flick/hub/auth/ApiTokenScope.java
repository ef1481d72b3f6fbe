package dev.flick.hub.auth;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/** A signed-in caller may call the API; one with a read-scoped API token only reads (GET, HEAD). */
final class ApiTokenScope {

    static final String READ_ONLY = "TOKEN_read";

    private ApiTokenScope() {}

    static AuthorizationResult check(Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        Authentication a = authentication.get();
        if (a == null || !a.isAuthenticated() || a instanceof AnonymousAuthenticationToken) return new AuthorizationDecision(false);
        boolean readOnly = a.getAuthorities().stream().anyMatch(g -> READ_ONLY.equals(g.getAuthority()));
        String method = context.getRequest().getMethod();
        return new AuthorizationDecision(!readOnly || "GET".equals(method) || "HEAD".equals(method));
    }

    static Authentication authentication(ApiTokenLookup.Grant grant) {
        List<GrantedAuthority> authorities = List.of(new SimpleGrantedAuthority("ROLE_" + grant.role()),
                new SimpleGrantedAuthority(grant.readOnly() ? READ_ONLY : "TOKEN_manage"));
        return new JwtAuthenticationToken(ApiTokenLimits.toJwt(grant), authorities, grant.userId());
    }
}
