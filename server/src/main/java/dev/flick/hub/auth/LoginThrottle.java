package dev.flick.hub.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

import dev.flick.hub.api.ApiProblem;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Temporary back-off for guessing: token buckets per client address and per account name (whether or not the
 * account exists, so the answer reveals nothing). Only failures take tokens; buckets refill over the window, so
 * an attacker is slowed and a locked-out owner is never locked out for good. Time comes from an {@link InstantSource}
 * bean when one exists (tests control it), else the system clock.
 */
@Component
class LoginThrottle {

    private static final int MAX_TRACKED = 100_000;

    private final Map<String, Bucket> byAccount = new ConcurrentHashMap<>();
    private final Map<String, Bucket> byAddress = new ConcurrentHashMap<>();
    private final AuthSettings settings;
    private final TimeMeter time;

    LoginThrottle(AuthSettings settings, ObjectProvider<InstantSource> clock) {
        this.settings = settings;
        this.time = meter(clock.getIfAvailable(InstantSource::system));
    }

    private static TimeMeter meter(InstantSource clock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /** Refuses with 429 and Retry-After while either bucket is empty. */
    void check(String address, String account) {
        long wait = Math.max(waitNanos(byAddress.get(address)), waitNanos(account == null ? null : byAccount.get(key(account))));
        if (wait > 0) {
            long seconds = Math.max(1, Duration.ofNanos(wait).toSeconds() + 1);
            throw ApiProblem.tooMany(dev.flick.hub.api.ProblemCode.SIGN_IN_THROTTLED, "Too many failed sign-ins: try again in " + seconds + " s", seconds);
        }
    }

    void failed(String address, String account) {
        bucket(byAddress, address, settings.loginAttemptsPerIp()).tryConsume(1);
        if (account != null) bucket(byAccount, key(account), settings.loginAttempts()).tryConsume(1);
    }

    private static long waitNanos(Bucket b) {
        if (b == null || b.getAvailableTokens() > 0) return 0;
        return b.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    }

    private Bucket bucket(Map<String, Bucket> map, String key, int capacity) {
        if (map.size() >= MAX_TRACKED) forgetRested();
        return map.computeIfAbsent(key, k -> Bucket.builder()
                .withCustomTimePrecision(time)
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, settings.loginWindow()).build())
                .build());
    }

    private static String key(String account) {
        String k = UserAccounts.normalize(account);
        return k.length() > 254 ? k.substring(0, 254) : k;
    }

    /** Buckets that refilled completely carry no information: drop them so the maps stay small. */
    @Scheduled(fixedDelay = 60_000)
    void forgetRested() {
        byAddress.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= settings.loginAttemptsPerIp());
        byAccount.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= settings.loginAttempts());
    }
}
