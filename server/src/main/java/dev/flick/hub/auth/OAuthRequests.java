package dev.flick.hub.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.client.web.AuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;

/**
 * Keeps pending OAuth authorization requests in the hub's memory, keyed by their state, instead of in an HTTP
 * session: the API stays stateless. A random browser-binding value in a cookie scoped to the callback path must
 * come back with the state, so a flow started in one browser cannot be finished in another (login CSRF). Over
 * HTTPS the cookie is SameSite=None so Apple's cross-site form_post callback carries it.
 */
final class OAuthRequests implements AuthorizationRequestRepository<OAuth2AuthorizationRequest> {

    static final String COOKIE = "flick_oauth";
    static final String REMOVED = OAuthRequests.class.getName() + ".removed";
    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final int MAX = 10_000;

    private record Pending(OAuth2AuthorizationRequest request, String binding, long expiresAt) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    @Override
    public OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
        Pending p = find(request);
        return p == null ? null : p.request();
    }

    @Override
    public void saveAuthorizationRequest(OAuth2AuthorizationRequest authorizationRequest, HttpServletRequest request,
                                         HttpServletResponse response) {
        if (authorizationRequest == null) {
            removeAuthorizationRequest(request, response);
            return;
        }
        long now = System.currentTimeMillis();
        if (pending.size() >= MAX) pending.values().removeIf(p -> p.expiresAt() <= now);
        if (pending.size() >= MAX) throw new IllegalStateException("Too many sign-ins in progress");
        byte[] raw = new byte[24];
        random.nextBytes(raw);
        String binding = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        pending.put(authorizationRequest.getState(), new Pending(authorizationRequest, binding, now + LIFETIME.toMillis()));
        boolean secure = request.isSecure();
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(COOKIE, binding)
                .httpOnly(true).secure(secure).sameSite(secure ? "None" : "Lax")
                .path("/login/oauth2").maxAge(LIFETIME).build().toString());
    }

    @Override
    public OAuth2AuthorizationRequest removeAuthorizationRequest(HttpServletRequest request, HttpServletResponse response) {
        Pending p = find(request);
        if (p == null) return null;
        pending.remove(p.request().getState());
        request.setAttribute(REMOVED, p.request());
        return p.request();
    }

    private Pending find(HttpServletRequest request) {
        String state = request.getParameter(OAuth2ParameterNames.STATE);
        if (state == null) return null;
        Pending p = pending.get(state);
        if (p == null || p.expiresAt() <= System.currentTimeMillis()) return null;
        String binding = null;
        if (request.getCookies() != null) {
            for (Cookie c : request.getCookies()) {
                if (COOKIE.equals(c.getName())) binding = c.getValue();
            }
        }
        return p.binding().equals(binding) ? p : null;
    }
}
