package dev.flick.collector;

/** Something that can be sampled once per interval. Implementations keep state between calls to compute rates. */
public interface SnapshotSource extends AutoCloseable {

    /** Takes one sample. The first call may report zero rates (no previous sample to diff against). */
    Snapshot sample();

    HostInfo hostInfo();

    @Override
    default void close() {}
}
