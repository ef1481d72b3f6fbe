package dev.flick.hub.metrics;

import org.springframework.boot.jackson.JacksonMixin;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.flick.collector.Snapshot;

/**
 * How the hub's Jackson writes a top process (processes at a past moment, alert evidence, webhooks): an unknown disk
 * I/O rate (NaN) is left out, as {@code SnapshotJson} does, rather than written as "NaN".
 */
@JacksonMixin(Snapshot.Processes.Process.class)
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
}
