package dev.flick.hub.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sign-in sessions (refresh-token families) that ended — signed out, or revoked because a spent refresh token came
 * back — so the access tokens issued in them stop at once rather than at their expiry. A family is remembered for
 * one access-token lifetime (later its tokens have expired anyway); on start the recent ones are read back.
 */
@Component
class EndedSessions {

    private final Map<String, Long> ended = new ConcurrentHashMap<>();

    EndedSessions(JdbcClient jdbc) {
        long since = System.currentTimeMillis() - AccessTokens.LIFETIME.toMillis();
        jdbc.sql("SELECT DISTINCT family_id, revoked_at FROM refresh_tokens WHERE revoked_at > ?").param(since)
                .query((rs, n) -> ended.put(rs.getString(1), rs.getLong(2))).list();
    }

    void end(String family) {
        if (family != null) ended.put(family, System.currentTimeMillis());
    }

    boolean ended(String family) {
        return family != null && ended.containsKey(family);
    }

    @Scheduled(fixedDelay = 60_000)
    void forgetExpired() {
        long before = System.currentTimeMillis() - AccessTokens.LIFETIME.toMillis() - 60_000;
        ended.values().removeIf(at -> at < before);
    }
}
