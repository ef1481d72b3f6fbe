package dev.flick.hub.auth;

import java.util.Collection;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * What an API token may reach beyond its owner's rights. A request authenticated by an API token carries its
 * grant as claims of a synthetic {@link Jwt}, so controllers that take the caller's Jwt work unchanged.
 */
public final class ApiTokenLimits {

    static final String TOKEN_ID = "flk_token";
    static final String SCOPE = "flk_scope";
    static final String SERVERS = "flk_servers";

    private ApiTokenLimits() {}

    /** Whether the caller came with an API token rather than a sign-in's access token. */
    public static boolean apiToken(Jwt jwt) {
        return jwt != null && jwt.hasClaim(TOKEN_ID);
    }

    /**
     * False when the current request is authenticated by an API token of {@code userId} that is limited to other
     * servers. Checks for other users, or outside a request (the live path), are not narrowed.
     */
    public static boolean serverAllowed(String userId, String serverId) {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (!(a instanceof JwtAuthenticationToken t)) return true;
        Jwt jwt = t.getToken();
        if (!jwt.hasClaim(SERVERS) || userId == null || !userId.equals(jwt.getSubject())) return true;
        Object servers = jwt.getClaims().get(SERVERS);
        return servers instanceof Collection<?> c && c.contains(serverId);
    }

    static Jwt toJwt(ApiTokenLookup.Grant g) {
        Jwt.Builder b = Jwt.withTokenValue("api-token:" + g.tokenId()) // never the secret itself
                .header("alg", "none")
                .subject(g.userId())
                .claim("email", g.email())
                .claim("role", g.role())
                .claim(TOKEN_ID, g.tokenId())
                .claim(SCOPE, g.readOnly() ? "read" : "manage");
        Set<String> servers = g.serverIds();
        if (servers != null) b.claim(SERVERS, java.util.List.copyOf(servers));
        return b.build();
    }
}
