package dev.flick.hub.servers;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where SSH servers may point and how often a user may have the hub connect somewhere new.
 *
 * @param allowLoopback     allow loopback, link-local, metadata and the hub's own addresses for every SSH server
 *                          ({@code FLICK_SSH_ALLOW_LOOPBACK}; for test setups, where sshd listens on 127.0.0.1)
 * @param connectBurst      SSH target changes (add, move, new credentials, accepted host key) a user may make at once
 * @param connectsPerMinute how fast that allowance refills
 */
@ConfigurationProperties("flick.ssh")
record SshTargetSettings(
        @DefaultValue("false") boolean allowLoopback,
        @DefaultValue("30") int connectBurst,
        @DefaultValue("6") int connectsPerMinute) {

    SshTargetSettings {
        if (connectBurst < 1) throw new IllegalArgumentException("flick.ssh.connect-burst must be positive");
        if (connectsPerMinute < 1) throw new IllegalArgumentException("flick.ssh.connects-per-minute must be positive");
    }
}
