package dev.flick.hub.servers;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import dev.flick.hub.api.ApiProblem;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every request that would have the hub open an SSH connection to a new or changed target takes a token from its
 * user's bucket, refused ones included, so the hub cannot be used to probe a network at any useful speed.
 */
@Component
class SshConnectThrottle {

    private final Map<String, Bucket> byUser = new ConcurrentHashMap<>();
    private final SshTargetSettings settings;

    SshConnectThrottle(SshTargetSettings settings) {
        this.settings = settings;
    }

    /** Takes one token or refuses with 429 and Retry-After. */
    void take(String userId) {
        Bucket bucket = byUser.computeIfAbsent(userId, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(settings.connectBurst())
                        .refillGreedy(settings.connectsPerMinute(), Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) return;
        long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
        throw ApiProblem.tooMany("Too many SSH target changes: try again in " + seconds + " s", seconds);
    }

    /** Full buckets carry no information. */
    @Scheduled(fixedDelay = 60_000)
    void forgetRested() {
        byUser.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= settings.connectBurst());
    }
}
