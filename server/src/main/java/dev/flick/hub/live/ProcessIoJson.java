package dev.flick.hub.live;

import org.springframework.boot.jackson.JacksonMixin;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.flick.collector.Snapshot;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * How the hub's Jackson writes a top process (processes at a past moment, alert evidence, webhooks): an unknown disk
 * I/O rate (NaN) is left out, as {@code SnapshotJson} does, rather than written as "NaN"; read back (stored alert
 * evidence), a rate left out is unknown again, not a refusal (Jackson 3 fails on a missing primitive by default).
 */
@JacksonMixin(Snapshot.Processes.Process.class)
@JsonDeserialize(using = ProcessIoJson.Reader.class)
abstract class ProcessIoJson {

    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NotFinite.class)
    abstract double readBps();

    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NotFinite.class)
    abstract double writeBps();

    /** Jackson's value filter: equals() true means "leave out". */
    static final class NotFinite {
        @Override
        public boolean equals(Object o) {
            return o instanceof Double d && !Double.isFinite(d);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** A top process from its JSON; absent I/O rates are unknown (NaN). */
    static final class Reader extends ValueDeserializer<Snapshot.Processes.Process> {
        @Override
        public Snapshot.Processes.Process deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonNode n = ctxt.readTree(p);
            return new Snapshot.Processes.Process(n.path("pid").asInt(), text(n, "name"), text(n, "user"),
                    n.path("cpu").asDouble(), n.path("rss").asLong(), text(n, "command"), rate(n, "readBps"), rate(n, "writeBps"));
        }

        private static String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || v.isNull() ? null : v.asString();
        }

        private static double rate(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
        }
    }
}
