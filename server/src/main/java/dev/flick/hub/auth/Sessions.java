package dev.flick.hub.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Per-user "sessions valid after" marks. Every access token carries the mark current when it was issued; raising
 * the mark invalidates all of the user's access tokens at once, on REST calls and on open WebSockets (which
 * re-check every second). Disabled and deleted users have no valid mark at all.
 */
@Component
public class Sessions {

    static final long NONE = Long.MAX_VALUE;

    private final JdbcClient jdbc;
    private final RefreshTokens refreshTokens;
    private final ApplicationEventPublisher events;
    private final Map<String, Long> marks = new ConcurrentHashMap<>();

    Sessions(JdbcClient jdbc, RefreshTokens refreshTokens, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.refreshTokens = refreshTokens;
        this.events = events;
    }

    /** The mark access tokens of this user must carry (at least); NONE when the user may not have sessions. */
    long mark(String userId) {
        if (userId == null) return NONE;
        return marks.computeIfAbsent(userId, id -> jdbc.sql("SELECT sessions_valid_after, disabled FROM users WHERE id = ?")
                .param(id)
                .query((rs, n) -> rs.getBoolean(2) ? NONE : rs.getLong(1))
                .optional().orElse(NONE));
    }

    /** Whether a token carrying {@code tokenMark} still speaks for the user. */
    public boolean valid(String userId, long tokenMark) {
        long mark = mark(userId);
        return mark != NONE && tokenMark >= mark;
    }

    /** Ends every session: refresh tokens revoked, access tokens refused, open sockets closed. */
    public void endAll(String userId, String reason) {
        refreshTokens.revokeAll(userId);
        expireAccessTokens(userId, reason);
    }

    /**
     * Refuses the user's current access tokens but keeps refresh tokens: clients fetch a new access token, which
     * carries the user's new role. Used when the role changes.
     */
    public void expireAccessTokens(String userId, String reason) {
        long now = System.currentTimeMillis();
        jdbc.sql("UPDATE users SET sessions_valid_after = CASE WHEN sessions_valid_after >= ? THEN sessions_valid_after + 1 ELSE ? END WHERE id = ?")
                .params(now, now, userId).update();
        forget(userId);
        events.publishEvent(new SessionsEnded(userId, reason));
    }

    /** Drops the cached mark (after disabling, enabling or deleting the user). */
    public void forget(String userId) {
        marks.remove(userId);
    }
}
