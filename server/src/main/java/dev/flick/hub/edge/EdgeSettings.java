package dev.flick.hub.edge;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What the hub accepts at its edge (env names are mapped in application.yml and listed in the README).
 *
 * @param trustedProxies           addresses or CIDR blocks whose Forwarded / X-Forwarded-* headers are believed
 *                                 (and which the per-address cap does not count); blank: none
 * @param maxConnectionsPerAddress open connections one client address may hold
 * @param headerTimeout            how long a request's line and headers may take to arrive, in total
 * @param maxBody                  request bodies above this are refused with 413 before they are read
 */
@ConfigurationProperties("flick.edge")
public record EdgeSettings(
        @DefaultValue("127.0.0.0/8,::1") String trustedProxies,
        @DefaultValue("256") int maxConnectionsPerAddress,
        @DefaultValue("10s") Duration headerTimeout,
        @DefaultValue("1MB") DataSize maxBody) {

    /** Bodies of the sign-in steps, which anyone may send: a JSON object of a few fields. */
    public static final DataSize SIGN_IN_MAX_BODY = DataSize.ofKilobytes(64);
}
