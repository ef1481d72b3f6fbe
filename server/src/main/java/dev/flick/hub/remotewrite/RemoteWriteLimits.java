package dev.flick.hub.remotewrite;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much the hub keeps for a remote-write receiver that is away, and how it retries (docs/prometheus-remote-write.md).
 *
 * @param maxBytes   queued samples on disk (FLICK_REMOTE_WRITE_MAX_BYTES); past it the oldest segment is dropped
 * @param maxAge     a sample older than this when its turn comes is dropped (FLICK_REMOTE_WRITE_MAX_AGE)
 * @param maxBackoff the longest wait between retries while the receiver fails
 * @param timeout    one request's connect and response time
 * @param batchSamples samples per request, at most (a snapshot is never split)
 */
@ConfigurationProperties("flick.remote-write")
record RemoteWriteLimits(
        @DefaultValue("2GB") DataSize maxBytes,
        @DefaultValue("24h") Duration maxAge,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("5000") int batchSamples) {}
