package dev.flick.hub.servers;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Short-lived, single-use install codes: what the one-line install command carries instead of the agent's token,
 * so the token never lands in shell history or a URL. Kept in memory by SHA-256 only (a restart voids them: the
 * dialog makes a new one); the install script trades one for a fresh token ({@link AgentInstallController}).
 */
@Component
class InstallCodes {

    static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final SecureRandom RANDOM = new SecureRandom();

    record Issued(String code, long expiresAt) {}

    private record Pending(String serverId, long expiresAt) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    InstallCodes() {
        this(Clock.systemUTC());
    }

    InstallCodes(Clock clock) {
        this.clock = clock;
    }

    Issued issue(String serverId) {
        long now = clock.millis();
        pending.values().removeIf(p -> p.expiresAt() <= now);
        byte[] raw = new byte[18];
        RANDOM.nextBytes(raw);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long expiresAt = now + LIFETIME.toMillis();
        pending.put(Servers.tokenHash(code), new Pending(serverId, expiresAt));
        return new Issued(code, expiresAt);
    }

    /** Whether the code is one that may still be redeemed (the script's download answers 410 otherwise). */
    boolean valid(String code) {
        Pending p = code == null ? null : pending.get(Servers.tokenHash(code.strip()));
        return p != null && p.expiresAt() > clock.millis();
    }

    /** The server the code was issued for, once: a code redeemed, expired or unknown gives nothing. */
    Optional<String> redeem(String code) {
        if (code == null || code.isBlank()) return Optional.empty();
        Pending p = pending.remove(Servers.tokenHash(code.strip()));
        if (p == null || p.expiresAt() <= clock.millis()) return Optional.empty();
        return Optional.of(p.serverId());
    }
}
