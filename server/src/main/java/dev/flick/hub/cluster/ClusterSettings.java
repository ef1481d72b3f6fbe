package dev.flick.hub.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param natsUrl   nats://… of the NATS server with JetStream; blank: a single hub (FLICK_NATS_URL)
 * @param prefix    names of the KV buckets, stream and subjects of this FLick, so several can share one NATS
 * @param hubId     this hub's id; blank: a random one per start
 * @param hubTtl    a hub that has not heartbeat for this long is dead and its SSH/Prometheus servers move
 */
@ConfigurationProperties("flick.cluster")
public record ClusterSettings(
        @DefaultValue("") String natsUrl,
        @DefaultValue("flick") String prefix,
        @DefaultValue("") String hubId,
        @DefaultValue("4s") Duration hubTtl) {

    boolean clustered() {
        return natsUrl != null && !natsUrl.isBlank();
    }
}
