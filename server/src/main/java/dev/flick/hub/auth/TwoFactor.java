package dev.flick.hub.auth;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.config.SecretCipher;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Optional TOTP second factor: a secret (sealed with the data key) confirmed by a first code, plus ten one-time
 * recovery codes. Recovery codes are random 50-bit values, so a SHA-256 hash is enough to make the stored copy
 * useless; a TOTP step is accepted once per user, so an observed code cannot be replayed.
 */
@Component
class TwoFactor {

    static final int RECOVERY_CODES = 10;

    private final JdbcClient jdbc;
    /** TOTP seeds are read back to check codes, so they are encrypted (bound to their user row), not hashed. */
    private static final String PURPOSE = "users.totp_secret";
    private final SecretCipher box;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> lastStep = new ConcurrentHashMap<>();

    TwoFactor(JdbcClient jdbc, SecretCipher box) {
        this.jdbc = jdbc;
        this.box = box;
    }

    record Enrollment(String secret, String otpauthUri) {}

    boolean enabled(String userId) {
        return jdbc.sql("SELECT count(*) FROM users WHERE id = ? AND totp_enabled_at IS NOT NULL").param(userId)
                .query(Long.class).single() > 0;
    }

    /** A new pending secret; it becomes active once a code from it is confirmed. */
    Enrollment begin(String userId, String email) {
        if (enabled(userId)) throw new ApiProblem(HttpStatus.CONFLICT, "Two-factor sign-in is already on: turn it off first");
        String secret = Totp.newSecret(random);
        jdbc.sql("UPDATE users SET totp_secret = ? WHERE id = ?").params(Base64.getEncoder().encodeToString(box.encrypt(PURPOSE, userId, secret)), userId).update();
        return new Enrollment(secret, Totp.uri("FLick", email, secret));
    }

    @Transactional
    List<String> confirm(String userId, String code) {
        if (enabled(userId)) throw new ApiProblem(HttpStatus.CONFLICT, "Two-factor sign-in is already on");
        String secret = secret(userId);
        if (secret == null) throw new ApiProblem(HttpStatus.CONFLICT, "Start the two-factor setup first");
        long step = Totp.matchingStep(secret, code, System.currentTimeMillis());
        if (step < 0) throw ApiProblem.badField("code", "does not match: check the time on your phone and try the next code");
        lastStep.put(userId, step);
        jdbc.sql("UPDATE users SET totp_enabled_at = ? WHERE id = ?").params(System.currentTimeMillis(), userId).update();
        return newRecoveryCodes(userId);
    }

    void disable(String userId) {
        jdbc.sql("UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL WHERE id = ?").param(userId).update();
        jdbc.sql("DELETE FROM recovery_codes WHERE user_id = ?").param(userId).update();
        lastStep.remove(userId);
    }

    /** A current TOTP code (not used before) or an unused recovery code, which is then spent. */
    synchronized boolean verify(String userId, String code) {
        if (code == null || code.isBlank() || code.length() > 40) return false;
        String secret = secret(userId);
        if (secret == null || !enabled(userId)) return false;
        long step = Totp.matchingStep(secret, code, System.currentTimeMillis());
        if (step >= 0) {
            Long last = lastStep.get(userId);
            if (last != null && step <= last) return false;
            lastStep.put(userId, step);
            return true;
        }
        String hash = RefreshTokens.hash(normalize(code));
        return jdbc.sql("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL")
                .params(System.currentTimeMillis(), userId, hash).update() == 1;
    }

    int recoveryCodesLeft(String userId) {
        return jdbc.sql("SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL").param(userId)
                .query(Long.class).single().intValue();
    }

    @Transactional
    List<String> newRecoveryCodes(String userId) {
        jdbc.sql("DELETE FROM recovery_codes WHERE user_id = ?").param(userId).update();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            byte[] raw = new byte[7];
            random.nextBytes(raw);
            String c = Totp.base32(raw).substring(0, 10).toLowerCase(Locale.ROOT);
            String shown = c.substring(0, 5) + "-" + c.substring(5);
            codes.add(shown);
            jdbc.sql("INSERT INTO recovery_codes (id, user_id, code_hash) VALUES (?, ?, ?)")
                    .params(UUID.randomUUID().toString(), userId, RefreshTokens.hash(normalize(shown))).update();
        }
        return codes;
    }

    private String secret(String userId) {
        return jdbc.sql("SELECT totp_secret FROM users WHERE id = ?").param(userId)
                .query((rs, n) -> rs.getString(1)).list().stream()
                .filter(s -> s != null).map(s -> box.decrypt(PURPOSE, userId, Base64.getDecoder().decode(s))).findFirst().orElse(null);
    }

    private static String normalize(String code) {
        return code.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
