package dev.flick.hub.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sign-in settings (env names are mapped in application.yml and listed in the README).
 *
 * @param loginAttempts      failed sign-ins per account within loginWindow before a temporary back-off
 * @param loginAttemptsPerIp failed sign-ins per client address within loginWindow
 * @param loginWindow        how long the back-off lasts at most: buckets refill over this window
 * @param socialSignup       role of accounts created by a first social sign-in (viewer, member), or "off"
 * @param publicUrl          the hub's public base URL for OAuth redirect URIs; blank: taken from the request
 */
@ConfigurationProperties("flick.auth")
public record AuthSettings(
        @DefaultValue("5") int loginAttempts,
        @DefaultValue("20") int loginAttemptsPerIp,
        @DefaultValue("15m") Duration loginWindow,
        @DefaultValue("viewer") String socialSignup,
        @DefaultValue("") String publicUrl,
        @DefaultValue Provider google,
        @DefaultValue Provider facebook,
        @DefaultValue Provider kakao,
        @DefaultValue Provider apple,
        @DefaultValue Provider oidc) {

    /**
     * One sign-in provider. Enabled when its client id is set (the generic OIDC provider also needs the issuer,
     * Apple the team id, key id and private key). The endpoint URIs default to the provider's public ones and
     * exist to be pointed elsewhere (a proxy, a test stub).
     *
     * @param oidc       Kakao only: use Kakao's OpenID Connect mode (id_token) instead of plain OAuth 2
     * @param privateKey Apple only: the team's ES256 key (PEM text, or a path to the .p8 file)
     * @param name       the button label of the generic OIDC provider
     */
    public record Provider(
            @DefaultValue("") String clientId,
            @DefaultValue("") String clientSecret,
            @DefaultValue("") String issuer,
            @DefaultValue("") String authorizationUri,
            @DefaultValue("") String tokenUri,
            @DefaultValue("") String userInfoUri,
            @DefaultValue("") String jwkSetUri,
            @DefaultValue("") String name,
            @DefaultValue("false") boolean oidc,
            @DefaultValue("") String teamId,
            @DefaultValue("") String keyId,
            @DefaultValue("") String privateKey,
            @DefaultValue("P30D") Duration secretLifetime) {

        boolean configured() {
            return !clientId.isBlank();
        }

        String or(String value, String fallback) {
            return value == null || value.isBlank() ? fallback : value;
        }
    }
}
