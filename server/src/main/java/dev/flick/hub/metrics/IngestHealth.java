package dev.flick.hub.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.flick.hub.config.Database;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /actuator/health} components for the write path: {@code database}, {@code dataDisk} and {@code ingest}.
 * Each reads what the writer and the spool already know, so health answers at once even while the database does
 * not (Spring's own {@code db} indicator would wait for a connection, 30 s with the database cut).
 */
@Configuration(proxyBeanMethods = false)
class IngestHealth {

    @Bean
    HealthIndicator databaseHealthIndicator(Ingest ingest, Database db) {
        return () -> {
            IngestStatus s = ingest.status();
            Health.Builder h = s.databaseUp() ? Health.up() : Health.down();
            h.withDetail("database", db.dialect().name().toLowerCase(java.util.Locale.ROOT));
            if (s.writeMillis() >= 0) h.withDetail("writeLatencyMs", s.writeMillis());
            if (!s.databaseUp()) {
                h.withDetail("downSince", s.failingSince());
                if (s.lastError() != null) h.withDetail("error", s.lastError());
            }
            return h.build();
        };
    }

    @Bean
    HealthIndicator dataDiskHealthIndicator(Ingest ingest) {
        return () -> {
            IngestStatus s = ingest.status();
            Health.Builder h = s.diskUp() ? Health.up() : Health.down();
            h.withDetail("path", String.valueOf(s.dataDir())).withDetail("freeBytes", s.freeBytes())
                    .withDetail("thresholdBytes", s.minFreeBytes());
            if (s.outOfSpace() && s.spoolBlocked() != null) h.withDetail("error", s.spoolBlocked());
            else if (!s.diskUp()) h.withDetail("error", "free space is below the threshold");
            return h.build();
        };
    }

    @Bean
    HealthIndicator ingestHealthIndicator(Ingest ingest) {
        return () -> {
            IngestStatus s = ingest.status();
            Health.Builder h = s.spoolBlocked() == null ? Health.up() : Health.down();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("spoolBytes", s.spoolBytes());
            d.put("backlog", s.backlog());
            d.put("written", s.written());
            d.put("droppedTotal", s.droppedTotal());
            d.put("dropped", s.dropped());
            if (s.spoolBlocked() != null) d.put("error", "agents are asked to keep their snapshots: " + s.spoolBlocked());
            return h.withDetails(d).build();
        };
    }
}
