package dev.flick.hub.auth;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.core.user.OAuth2User;

/**
 * Who a provider says signed in: its subject (the identity's key), and the email and name it offers. Each
 * provider has its own shape: Kakao nests the profile under kakao_account, Facebook's Graph /me is flat, Apple
 * sends the name only on the first sign-in, as a form field next to the id_token.
 */
record SocialProfile(String provider, String subject, String email, boolean emailVerified, String name) {

    static SocialProfile of(String provider, OAuth2User user, String appleUserField, ObjectMapper json) {
        if (user instanceof OidcUser oidc) {
            String name = oidc.getFullName();
            if (name == null) name = oidc.getClaimAsString("nickname");
            if (name == null && "apple".equals(provider) && appleUserField != null) name = appleName(appleUserField, json);
            Boolean verified = oidc.getEmailVerified();
            if (verified == null && oidc.getClaims().get("email_verified") instanceof String s) verified = Boolean.parseBoolean(s);
            return new SocialProfile(provider, oidc.getSubject(), oidc.getEmail(), Boolean.TRUE.equals(verified), name);
        }
        Map<String, Object> a = user.getAttributes();
        if ("kakao".equals(provider)) {
            Object id = a.get("id");
            Map<?, ?> account = a.get("kakao_account") instanceof Map<?, ?> m ? m : Map.of();
            Map<?, ?> profile = account.get("profile") instanceof Map<?, ?> m ? m : Map.of();
            String email = account.get("email") instanceof String s ? s : null;
            boolean verified = Boolean.TRUE.equals(account.get("is_email_verified")) && Boolean.TRUE.equals(account.get("is_email_valid"));
            String nickname = profile.get("nickname") instanceof String s ? s : null;
            return new SocialProfile(provider, String.valueOf(id), email, verified, nickname);
        }
        // Facebook Graph /me?fields=id,name,email (and any other flat OAuth 2 user-info shape)
        String email = a.get("email") instanceof String s ? s : null;
        String name = a.get("name") instanceof String s ? s : null;
        return new SocialProfile(provider, user.getName(), email, email != null && "facebook".equals(provider), name);
    }

    /** Apple's first-login {@code user} field: {"name":{"firstName":…,"lastName":…},"email":…}. */
    private static String appleName(String field, ObjectMapper json) {
        try {
            JsonNode n = json.readTree(field).path("name");
            String full = (n.path("firstName").asString("") + " " + n.path("lastName").asString("")).trim();
            return full.isEmpty() ? null : full;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
