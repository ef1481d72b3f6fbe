package dev.flick.hub.auth;

import dev.flick.hub.api.ApiProblem;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;

/** Role checks for endpoints that only some users may call. */
public final class Roles {

    private Roles() {}

    public static void requireAdmin(Jwt jwt) {
        if (jwt == null || !"admin".equals(jwt.getClaimAsString("role"))) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Only an admin may do this");
        }
    }

    /** Who did something, for the event log: the user's email. */
    public static String actor(Jwt jwt) {
        return jwt == null ? null : jwt.getClaimAsString("email");
    }
}
