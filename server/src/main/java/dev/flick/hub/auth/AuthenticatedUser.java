package dev.flick.hub.auth;

/**
 * Who a verified access token speaks for, until when (epoch ms), and the session mark it carries (compared with
 * {@link Sessions} so ended sessions stop working at once), and the sign-in session it was issued in.
 */
public record AuthenticatedUser(String id, String email, String role, long expiresAt, long sessionMark, String session) {

    public boolean admin() {
        return "admin".equals(role);
    }
}
