package dev.flick.hub.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.flick.hub.auth.ApiTokenLookup;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * API tokens: {@code flk_} + 32 random bytes (base64url), kept only as their SHA-256. A token is looked up on every
 * request it comes with (one indexed read joined with its owner, so a revoked token or a disabled or deleted owner
 * stops it at once); the last-used time is kept in memory and written at most once a minute per token.
 */
@Component
public class ApiTokens implements ApiTokenLookup {

    public enum Scope { read, manage }

    /** A token as its owner sees it after creation: never the token itself. */
    public record Listed(String id, String name, Scope scope, List<String> serverIds, Long expiresAt, long createdAt,
                         Long lastUsedAt) {}

    /** The one answer that carries the token. */
    public record Created(Listed listed, String token) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    /** Last-used times not yet written, by token id. */
    private final Map<String, Long> used = new ConcurrentHashMap<>();

    ApiTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Created create(String userId, String name, Scope scope, Set<String> serverIds, Long expiresAt) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        jdbc.sql("""
                INSERT INTO api_tokens (id, user_id, name, token_hash, scope, server_ids, expires_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, userId, name, hash(token), scope.name(), joinIds(serverIds), expiresAt, now).update();
        List<String> ids = serverIds == null ? null : List.copyOf(serverIds);
        return new Created(new Listed(id, name, scope, ids, expiresAt, now, null), token);
    }

    List<Listed> list(String userId) {
        return jdbc.sql("""
                SELECT id, name, scope, server_ids, expires_at, created_at, last_used_at FROM api_tokens
                WHERE user_id = ? ORDER BY created_at DESC, id""")
                .param(userId)
                .query((rs, n) -> {
                    String id = rs.getString(1);
                    long stored = rs.getLong(7);
                    Long lastUsed = rs.wasNull() ? null : stored;
                    Long pending = used.get(id);
                    if (pending != null && (lastUsed == null || pending > lastUsed)) lastUsed = pending;
                    long exp = rs.getLong(5);
                    Long expiresAt = rs.wasNull() ? null : exp;
                    Set<String> servers = splitIds(rs.getString(4));
                    return new Listed(id, rs.getString(2), Scope.valueOf(rs.getString(3)),
                            servers == null ? null : List.copyOf(servers), expiresAt, rs.getLong(6), lastUsed);
                }).list();
    }

    /** Whether a token of this user was there to revoke. */
    boolean revoke(String userId, String id) {
        used.remove(id);
        return jdbc.sql("DELETE FROM api_tokens WHERE id = ? AND user_id = ?").params(id, userId).update() > 0;
    }

    @Override
    public Optional<Grant> find(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 200) return Optional.empty();
        long now = System.currentTimeMillis();
        Optional<Grant> grant = jdbc.sql("""
                SELECT t.id, t.user_id, u.email, u.role, t.scope, t.server_ids, t.expires_at
                FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = ? AND u.disabled = ?""")
                .params(hash(token), false) // BOOLEAN on PostgreSQL, 0/1 on SQLite
                .query((rs, n) -> {
                    long exp = rs.getLong(7);
                    if (!rs.wasNull() && exp <= now) return null;
                    return new Grant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Scope.read.name().equals(rs.getString(5)), splitIds(rs.getString(6)));
                }).optional();
        grant.ifPresent(g -> used.put(g.tokenId(), now));
        return grant;
    }

    /** Writes the last-used times gathered since the last run: at most one write a minute per token. */
    @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
    void writeLastUsed() {
        for (String id : List.copyOf(used.keySet())) {
            Long ts = used.remove(id);
            if (ts != null) {
                jdbc.sql("UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")
                        .params(ts, id, ts).update();
            }
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String joinIds(Set<String> ids) {
        return ids == null ? null : String.join("\n", ids);
    }

    private static Set<String> splitIds(String stored) {
        if (stored == null) return null;
        Set<String> ids = new LinkedHashSet<>();
        for (String id : stored.split("\n")) if (!id.isEmpty()) ids.add(id);
        return ids;
    }
}
