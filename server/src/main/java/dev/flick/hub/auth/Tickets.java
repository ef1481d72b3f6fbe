package dev.flick.hub.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short-lived, single-use random codes kept only in memory (hashed): the second sign-in step's mfaToken, the code
 * a social sign-in hands the web client, a link intent. A hub restart simply asks the user to start over.
 */
final class Tickets<T> {

    private record Entry<T>(T value, long expiresAt) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX = 50_000;
    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final Duration lifetime;

    Tickets(Duration lifetime) {
        this.lifetime = lifetime;
    }

    String issue(T value) {
        long now = System.currentTimeMillis();
        if (entries.size() >= MAX) entries.values().removeIf(e -> e.expiresAt() <= now);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        entries.put(RefreshTokens.hash(code), new Entry<>(value, now + lifetime.toMillis()));
        return code;
    }

    /** The value, without spending the code. */
    Optional<T> peek(String code) {
        if (code == null || code.isBlank() || code.length() > 200) return Optional.empty();
        Entry<T> e = entries.get(RefreshTokens.hash(code));
        if (e == null || e.expiresAt() <= System.currentTimeMillis()) return Optional.empty();
        return Optional.of(e.value());
    }

    /** The value, spending the code: a second take finds nothing. */
    Optional<T> take(String code) {
        if (code == null || code.isBlank() || code.length() > 200) return Optional.empty();
        Entry<T> e = entries.remove(RefreshTokens.hash(code));
        if (e == null || e.expiresAt() <= System.currentTimeMillis()) return Optional.empty();
        return Optional.of(e.value());
    }
}
