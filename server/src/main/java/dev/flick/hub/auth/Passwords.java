package dev.flick.hub.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Setting passwords (with the policy), and the single-use codes of invites and admin resets. */
@Component
public class Passwords {

    public static final Duration INVITE_LIFETIME = Duration.ofDays(7);
    public static final Duration RESET_LIFETIME = Duration.ofDays(1);

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final UserAccounts users;
    private final Sessions sessions;
    private final SecureRandom random = new SecureRandom();

    Passwords(JdbcClient jdbc, PasswordEncoder encoder, UserAccounts users, Sessions sessions) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.users = users;
        this.sessions = sessions;
    }

    /** Checks the policy and hashes. */
    public String hash(String field, String password, String email) {
        PasswordPolicy.check(field, password, email);
        return encoder.encode(password);
    }

    /** Sets a new password and ends every session of the user (their sockets close within a second). */
    public void replace(String userId, String field, String password, String email, String reason) {
        users.setPasswordHash(userId, hash(field, password, email));
        sessions.endAll(userId, reason);
    }

    /** A single-use code that lets the user set a password (an invite, or a reset an admin started). */
    public record Code(String code, long expiresAt) {}

    public Code issueCode(String userId, String purpose, Duration lifetime) {
        byte[] raw = new byte[15];
        random.nextBytes(raw);
        String code = Totp.base32(raw);
        long now = System.currentTimeMillis();
        jdbc.sql("DELETE FROM password_codes WHERE user_id = ? AND used_at IS NULL").param(userId).update();
        jdbc.sql("INSERT INTO password_codes (code_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
                .params(RefreshTokens.hash(normalizeCode(code)), userId, purpose, now, now + lifetime.toMillis()).update();
        return new Code(code, now + lifetime.toMillis());
    }

    /** Spends a code: the user it was issued for, when it is valid and unused. */
    @Transactional
    Optional<String> redeem(String code) {
        if (code == null || code.isBlank() || code.length() > 100) return Optional.empty();
        String hash = RefreshTokens.hash(normalizeCode(code));
        long now = System.currentTimeMillis();
        Optional<String> userId = jdbc.sql("SELECT user_id FROM password_codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?")
                .params(hash, now).query(String.class).optional();
        if (userId.isEmpty()) return Optional.empty();
        int spent = jdbc.sql("UPDATE password_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL").params(now, hash).update();
        return spent == 1 ? userId : Optional.empty();
    }

    Optional<String> peek(String code) {
        if (code == null || code.isBlank() || code.length() > 100) return Optional.empty();
        return jdbc.sql("SELECT user_id FROM password_codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?")
                .params(RefreshTokens.hash(normalizeCode(code)), System.currentTimeMillis()).query(String.class).optional();
    }

    private static String normalizeCode(String code) {
        return code.replace("-", "").replace(" ", "").toUpperCase();
    }

    boolean matches(String password, String hash) {
        return hash != null && encoder.matches(password, hash);
    }
}
