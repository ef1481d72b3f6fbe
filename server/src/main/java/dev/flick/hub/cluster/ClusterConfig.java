package dev.flick.hub.cluster;

import java.time.Duration;
import java.util.UUID;

import dev.flick.hub.config.FlickSettings;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A single hub without FLICK_NATS_URL, a NATS cluster member with it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterSettings.class)
class ClusterConfig {

    @Bean
    Cluster cluster(ClusterSettings settings, FlickSettings flick, ApplicationEventPublisher events) throws Exception {
        String hubId = settings.hubId() == null || settings.hubId().isBlank()
                ? "hub-" + UUID.randomUUID().toString().substring(0, 8)
                : settings.hubId().replaceAll("[^A-Za-z0-9_-]", "_");
        if (!settings.clustered()) return new SingleHub(hubId);
        return new NatsCluster(settings, hubId, events, Duration.ofSeconds(Math.max(60, flick.ringSeconds())));
    }
}
