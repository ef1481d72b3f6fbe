package dev.flick.hub.auth;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Social sign-in methods linked to accounts, keyed by provider and the provider's subject — never by email. */
@Component
class Identities {

    private final JdbcClient jdbc;

    Identities(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Identity(String id, String provider, String email, long createdAt) {}

    Optional<String> userOf(String provider, String subject) {
        return jdbc.sql("SELECT user_id FROM user_identities WHERE provider = ? AND subject = ?")
                .params(provider, subject).query(String.class).optional();
    }

    List<Identity> of(String userId) {
        return jdbc.sql("SELECT id, provider, email, created_at FROM user_identities WHERE user_id = ? ORDER BY created_at")
                .param(userId)
                .query((rs, n) -> new Identity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4))).list();
    }

    void link(String userId, String provider, String subject, String email) {
        jdbc.sql("INSERT INTO user_identities (id, user_id, provider, subject, email, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(UUID.randomUUID().toString(), userId, provider, subject, email, System.currentTimeMillis()).update();
    }

    /** Removes one of the user's own identities; false when it is not theirs. */
    boolean unlink(String userId, String identityId) {
        return jdbc.sql("DELETE FROM user_identities WHERE id = ? AND user_id = ?").params(identityId, userId).update() == 1;
    }
}
