package dev.flick.hub.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.config.oauth2.client.CommonOAuth2Provider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.stereotype.Component;

/**
 * The social sign-in providers the configuration enables, as Spring Security client registrations. Apple's
 * registration is rebuilt whenever its signed client secret is renewed; the generic OIDC provider is discovered
 * from its issuer on first use (so a provider that is down does not stop the hub from starting).
 */
@Component
class SocialProviders implements ClientRegistrationRepository {

    private static final Logger log = LoggerFactory.getLogger(SocialProviders.class);
    static final String REDIRECT = "{baseUrl}/login/oauth2/code/{registrationId}";

    record Enabled(String id, String name) {}

    private final AuthSettings settings;
    private final List<Enabled> enabled = new ArrayList<>();
    private final Map<String, ClientRegistration> fixed = new ConcurrentHashMap<>();
    private final AppleClientSecret appleSecret;
    private volatile ClientRegistration discoveredOidc;

    SocialProviders(AuthSettings settings) {
        this.settings = settings;
        AuthSettings.Provider g = settings.google();
        if (g.configured()) {
            fixed.put("google", override(CommonOAuth2Provider.GOOGLE.getBuilder("google"), g).build());
            enabled.add(new Enabled("google", "Google"));
        }
        AuthSettings.Provider f = settings.facebook();
        if (f.configured()) {
            fixed.put("facebook", override(CommonOAuth2Provider.FACEBOOK.getBuilder("facebook"), f).build());
            enabled.add(new Enabled("facebook", "Facebook"));
        }
        AuthSettings.Provider k = settings.kakao();
        if (k.configured()) {
            fixed.put("kakao", kakao(k));
            enabled.add(new Enabled("kakao", "Kakao"));
        }
        AuthSettings.Provider a = settings.apple();
        if (a.configured() && !a.teamId().isBlank() && !a.keyId().isBlank() && !a.privateKey().isBlank()) {
            appleSecret = new AppleClientSecret(a.teamId(), a.keyId(), a.clientId(), a.privateKey(), a.secretLifetime());
            enabled.add(new Enabled("apple", "Apple"));
        } else {
            if (a.configured()) log.warn("Apple sign-in needs FLICK_APPLE_TEAM_ID, FLICK_APPLE_KEY_ID and FLICK_APPLE_PRIVATE_KEY too: left off");
            appleSecret = null;
        }
        AuthSettings.Provider o = settings.oidc();
        if (o.configured() && !o.issuer().isBlank()) {
            enabled.add(new Enabled("oidc", o.or(o.name(), "OpenID Connect")));
        }
        if (!enabled.isEmpty()) log.info("Social sign-in: {}", enabled.stream().map(Enabled::id).toList());
    }

    List<Enabled> enabled() {
        return List.copyOf(enabled);
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        if (registrationId == null) return null;
        return switch (registrationId) {
            case "apple" -> appleSecret == null ? null : apple(settings.apple());
            case "oidc" -> enabled.stream().anyMatch(e -> e.id().equals("oidc")) ? oidc() : null;
            default -> fixed.get(registrationId);
        };
    }

    private ClientRegistration.Builder override(ClientRegistration.Builder b, AuthSettings.Provider p) {
        b.clientId(p.clientId()).clientSecret(p.clientSecret()).redirectUri(redirectUri());
        if (!p.authorizationUri().isBlank()) b.authorizationUri(p.authorizationUri());
        if (!p.tokenUri().isBlank()) b.tokenUri(p.tokenUri());
        if (!p.userInfoUri().isBlank()) b.userInfoUri(p.userInfoUri());
        if (!p.jwkSetUri().isBlank()) b.jwkSetUri(p.jwkSetUri());
        if (!p.issuer().isBlank()) b.issuerUri(p.issuer());
        return b;
    }

    private String redirectUri() {
        String base = settings.publicUrl();
        return base == null || base.isBlank() ? REDIRECT : base.replaceAll("/+$", "") + "/login/oauth2/code/{registrationId}";
    }

    /**
     * Kakao: plain OAuth 2 with the profile nested under kakao_account (user info /v2/user/me, id at the top), or
     * its OpenID Connect mode (an id_token signed with Kakao's keys).
     */
    private ClientRegistration kakao(AuthSettings.Provider k) {
        ClientRegistration.Builder b = ClientRegistration.withRegistrationId("kakao")
                .clientName("Kakao")
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationUri("https://kauth.kakao.com/oauth/authorize")
                .tokenUri("https://kauth.kakao.com/oauth/token");
        if (k.oidc()) {
            b.scope("openid", "profile_nickname", "account_email")
                    .issuerUri("https://kauth.kakao.com")
                    .jwkSetUri("https://kauth.kakao.com/.well-known/jwks.json")
                    .userNameAttributeName("sub");
        } else {
            b.scope("profile_nickname", "account_email")
                    .userInfoUri("https://kapi.kakao.com/v2/user/me")
                    .userNameAttributeName("id");
        }
        return override(b, k).build();
    }

    /** Apple: OIDC without a user-info endpoint, answering by form_post; its client secret is a signed JWT. */
    private ClientRegistration apple(AuthSettings.Provider a) {
        ClientRegistration.Builder b = ClientRegistration.withRegistrationId("apple")
                .clientName("Apple")
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .scope("openid", "name", "email")
                .authorizationUri("https://appleid.apple.com/auth/authorize")
                .tokenUri("https://appleid.apple.com/auth/token")
                .jwkSetUri("https://appleid.apple.com/auth/keys")
                .issuerUri("https://appleid.apple.com")
                .userNameAttributeName("sub");
        override(b, a);
        return b.clientSecret(appleSecret.value(Instant.now())).build();
    }

    private ClientRegistration oidc() {
        ClientRegistration r = discoveredOidc;
        if (r != null) return r;
        synchronized (this) {
            if (discoveredOidc == null) {
                AuthSettings.Provider o = settings.oidc();
                ClientRegistration.Builder b = ClientRegistrations.fromIssuerLocation(o.issuer()).registrationId("oidc")
                        .clientName(o.or(o.name(), "OpenID Connect"))
                        .scope("openid", "profile", "email");
                discoveredOidc = override(b, new AuthSettings.Provider(o.clientId(), o.clientSecret(), "", o.authorizationUri(),
                        o.tokenUri(), o.userInfoUri(), o.jwkSetUri(), o.name(), true, "", "", "", o.secretLifetime())).build();
            }
            return discoveredOidc;
        }
    }
}
