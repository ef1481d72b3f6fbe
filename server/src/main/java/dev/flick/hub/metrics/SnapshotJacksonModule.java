package dev.flick.hub.metrics;

import dev.flick.collector.Snapshot;

import org.springframework.stereotype.Component;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Snapshots in REST answers (a server's {@code latest}, containers at a moment) say container states and health as
 * the live JSON does ({@code "running"}, {@code "unhealthy"}: docs/snapshot.md), not as Java names.
 */
@Component
class SnapshotJacksonModule extends SimpleModule {

    SnapshotJacksonModule() {
        super("flick-snapshot");
        addSerializer(Snapshot.Container.State.class, new ValueSerializer<>() {
            @Override
            public void serialize(Snapshot.Container.State v, JsonGenerator g, SerializationContext c) {
                g.writeString(v.json());
            }
        });
        addSerializer(Snapshot.Container.Health.class, new ValueSerializer<>() {
            @Override
            public void serialize(Snapshot.Container.Health v, JsonGenerator g, SerializationContext c) {
                g.writeString(v.json());
            }
        });
    }
}
