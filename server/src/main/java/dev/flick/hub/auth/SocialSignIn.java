package dev.flick.hub.auth;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.flick.hub.logs.EventLog;

import tools.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.stereotype.Component;

/**
 * What happens when a provider sends the browser back. Signing in: the identity (provider + subject) names the
 * account, or a new one is created (never matched by email: a provider's email may belong to someone else's
 * account here). Linking: the account comes from a single-use ticket the signed-in web client obtained, spent when
 * the flow started. Either way the browser gets only a single-use, one-minute code in the URL fragment, which the
 * web client exchanges for FLick's tokens.
 */
@Component
class SocialSignIn implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(SocialSignIn.class);
    static final String LINK_PARAMETER = "link";
    static final String LINK_ATTRIBUTE = "flick_link_user";

    record Completed(String userId, String provider) {}

    private final Tickets<Completed> codes = new Tickets<>(Duration.ofMinutes(1));
    private final Tickets<String> linkTickets = new Tickets<>(Duration.ofMinutes(5));
    private final UserAccounts users;
    private final Identities identities;
    private final AuthSettings settings;
    private final EventLog audit;
    private final ObjectMapper json;

    SocialSignIn(UserAccounts users, Identities identities, AuthSettings settings, EventLog audit, ObjectMapper json) {
        this.users = users;
        this.identities = identities;
        this.settings = settings;
        this.audit = audit;
        this.json = json;
    }

    Optional<Completed> redeem(String code) {
        return codes.take(code);
    }

    /** A ticket the web client posts to /oauth2/authorization/{provider} (form field "link") to link, not sign in. */
    String linkTicket(String userId) {
        return linkTickets.issue(userId);
    }

    /** Resolves authorization requests, adding Apple's form_post and turning a link ticket into the account to link. */
    OAuth2AuthorizationRequestResolver resolver(ClientRegistrationRepository registrations) {
        DefaultOAuth2AuthorizationRequestResolver base = new DefaultOAuth2AuthorizationRequestResolver(registrations, "/oauth2/authorization");
        return new OAuth2AuthorizationRequestResolver() {
            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
                return adapt(request, base.resolve(request));
            }

            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String clientRegistrationId) {
                return adapt(request, base.resolve(request, clientRegistrationId));
            }
        };
    }

    private OAuth2AuthorizationRequest adapt(HttpServletRequest request, OAuth2AuthorizationRequest r) {
        if (r == null) return null;
        OAuth2AuthorizationRequest.Builder b = OAuth2AuthorizationRequest.from(r);
        if ("apple".equals(r.getAttribute("registration_id"))) {
            b.additionalParameters(p -> p.put("response_mode", "form_post"));
        }
        String ticket = request.getParameter(LINK_PARAMETER);
        if (ticket != null) {
            Optional<String> userId = linkTickets.take(ticket);
            if (userId.isEmpty()) return null;
            b.attributes(a -> a.put(LINK_ATTRIBUTE, userId.get()));
        }
        return b.build();
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        OAuth2AuthenticationToken token = (OAuth2AuthenticationToken) authentication;
        String provider = token.getAuthorizedClientRegistrationId();
        SocialProfile profile = SocialProfile.of(provider, token.getPrincipal(), request.getParameter("user"), json);
        String linkUserId = request.getAttribute(OAuthRequests.REMOVED) instanceof OAuth2AuthorizationRequest r
                ? r.getAttribute(LINK_ATTRIBUTE) : null;
        response.setHeader("Cache-Control", "no-store");
        if (linkUserId != null) {
            link(linkUserId, profile, response);
            return;
        }
        Optional<String> existing = identities.userOf(provider, profile.subject());
        String userId;
        if (existing.isPresent()) {
            userId = existing.get();
            if (users.byId(userId).isEmpty()) {
                fail(response, "disabled", profile);
                return;
            }
        } else {
            Optional<String> created = signUp(profile, response);
            if (created.isEmpty()) return;
            userId = created.get();
        }
        response.sendRedirect("/#/signin?code=" + codes.issue(new Completed(userId, provider)));
    }

    private void link(String userId, SocialProfile profile, HttpServletResponse response) throws IOException {
        Optional<String> owner = identities.userOf(profile.provider(), profile.subject());
        User user = users.byId(userId).orElse(null);
        if (user == null) {
            response.sendRedirect("/#/profile?linkError=session");
            return;
        }
        if (owner.isPresent() && !owner.get().equals(userId)) {
            response.sendRedirect("/#/profile?linkError=taken");
            return;
        }
        if (owner.isEmpty()) {
            identities.link(userId, profile.provider(), profile.subject(), profile.email());
            audit.hub("notice", "Linked a " + profile.provider() + " sign-in", user.email(), "user:" + userId, null);
        }
        response.sendRedirect("/#/profile?linked=" + profile.provider());
    }

    private Optional<String> signUp(SocialProfile profile, HttpServletResponse response) throws IOException {
        String role = settings.socialSignup();
        if (!users.anyExist()) {
            fail(response, "setup-required", profile);
            return Optional.empty();
        }
        if (!UserAccounts.ROLES.contains(role) || "admin".equals(role)) {
            fail(response, "no-account", profile);
            return Optional.empty();
        }
        String email = profile.email() != null && profile.emailVerified() ? profile.email()
                : profile.provider() + "." + profile.subject().replaceAll("[^A-Za-z0-9._-]", "") + "@users.invalid";
        if (users.emailTaken(email)) {
            // The email is someone's account here: only that account (signed in) may link this identity.
            fail(response, "email-in-use", profile);
            return Optional.empty();
        }
        String name = profile.name() == null || profile.name().isBlank() ? email : profile.name();
        User user = users.create(email, name.length() > 100 ? name.substring(0, 100) : name, role, null);
        identities.link(user.id(), profile.provider(), profile.subject(), profile.email());
        audit.hub("notice", "Account created by a " + profile.provider() + " sign-in", user.email(), "user:" + user.id(), null);
        return Optional.of(user.id());
    }

    private void fail(HttpServletResponse response, String reason, SocialProfile profile) throws IOException {
        audit.hub("warning", "Refused a " + profile.provider() + " sign-in: " + reason, profile.email(), null, null);
        response.sendRedirect("/#/signin?error=" + reason);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        log.info("A social sign-in failed: {}", exception.getMessage());
        audit.hub("warning", "Failed social sign-in from " + request.getRemoteAddr(), null, null, null);
        boolean linking = request.getAttribute(OAuthRequests.REMOVED) instanceof OAuth2AuthorizationRequest r
                && r.getAttribute(LINK_ATTRIBUTE) != null;
        response.sendRedirect(linking ? "/#/profile?linkError=failed" : "/#/signin?error=failed");
    }
}
