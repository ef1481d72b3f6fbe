package dev.flick.hub.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opaque refresh tokens, stored only as SHA-256 hashes. Each use spends the token and issues the next one of
 * the same family; presenting a spent token means it was stolen or replayed, so the whole family is revoked.
 */
@Component
class RefreshTokens {

    private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);
    static final Duration LIFETIME = Duration.ofDays(30);

    private final JdbcClient jdbc;
    private final EndedSessions ended;
    private final SecureRandom random = new SecureRandom();

    RefreshTokens(JdbcClient jdbc, EndedSessions ended) {
        this.jdbc = jdbc;
        this.ended = ended;
    }

    /** A refresh token and the sign-in session (family) it belongs to; access tokens carry the family. */
    record Issued(String token, String family) {}

    sealed interface Rotation {
        record Rotated(String userId, Issued next) implements Rotation {}
        record Refused() implements Rotation {}
    }

    Issued issue(String userId) {
        return issue(userId, UUID.randomUUID().toString());
    }

    private Issued issue(String userId, String familyId) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long now = System.currentTimeMillis();
        jdbc.sql("""
                        INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(UUID.randomUUID().toString(), userId, familyId, hash(token), now, now + LIFETIME.toMillis())
                .update();
        return new Issued(token, familyId);
    }

    @Transactional
    Rotation rotate(String token) {
        record Row(String id, String userId, String familyId, long expiresAt, Long spentAt, Long revokedAt) {}
        Optional<Row> found = jdbc.sql("""
                        SELECT id, user_id, family_id, expires_at, spent_at, revoked_at
                        FROM refresh_tokens WHERE token_hash = ?""")
                .param(hash(token))
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getObject(5) == null ? null : rs.getLong(5), rs.getObject(6) == null ? null : rs.getLong(6)))
                .optional();
        if (found.isEmpty()) return new Rotation.Refused();
        Row row = found.get();
        long now = System.currentTimeMillis();
        if (row.revokedAt() != null || row.expiresAt() <= now) return new Rotation.Refused();
        int spent = row.spentAt() != null ? 0
                : jdbc.sql("UPDATE refresh_tokens SET spent_at = ? WHERE id = ? AND spent_at IS NULL").params(now, row.id()).update();
        if (spent != 1) {
            revokeFamily(row.familyId(), now);
            log.warn("A spent refresh token was presented again; revoked its whole family (user {})", row.userId());
            return new Rotation.Refused();
        }
        return new Rotation.Rotated(row.userId(), issue(row.userId(), row.familyId()));
    }

    void revoke(String token) {
        jdbc.sql("SELECT family_id FROM refresh_tokens WHERE token_hash = ?").param(hash(token))
                .query(String.class).optional()
                .ifPresent(family -> revokeFamily(family, System.currentTimeMillis()));
    }

    void revokeAll(String userId) {
        jdbc.sql("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
                .params(System.currentTimeMillis(), userId).update();
    }

    private void revokeFamily(String familyId, long now) {
        ended.end(familyId);
        jdbc.sql("UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL")
                .params(now, familyId).update();
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
