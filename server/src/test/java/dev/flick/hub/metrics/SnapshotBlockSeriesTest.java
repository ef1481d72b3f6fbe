package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;

import dev.flick.collector.Snapshot;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding without the top processes gives every other field exactly as the full decode, and still sees corruption. */
class SnapshotBlockSeriesTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void seriesDecodeEqualsTheFullDecodeWithoutTopProcesses(long seed) {
        List<Snapshot> block = SnapshotSamples.randomBlock(new Random(seed));
        byte[] data = SnapshotBlock.encode(block);
        List<Snapshot> full = SnapshotBlock.decode("s", data);
        List<Snapshot> series = SnapshotBlock.decodeSeries("s", data);
        assertThat(series).hasSameSizeAs(full);
        for (int i = 0; i < full.size(); i++) {
            Snapshot f = full.get(i);
            Snapshot withoutTop = new Snapshot(f.serverId(), f.ts(), f.cpu(), f.memory(), f.disks(), f.diskIo(), f.network(),
                    new Snapshot.Processes(f.processes().count(), List.of()),
                    f.containers(), f.sensors(), f.gpus(), f.diskHealth(), f.services());
            assertThat(SnapshotSamples.exact(series.get(i))).isEqualTo(SnapshotSamples.exact(withoutTop));
        }
    }

    @ParameterizedTest(name = "cut at {0}%")
    @ValueSource(ints = {10, 50, 90})
    void aTruncatedBlockIsCorruptForTheSeriesDecodeToo(int percent) {
        byte[] data = SnapshotBlock.encode(SnapshotSamples.randomBlock(new Random(percent)));
        byte[] cut = java.util.Arrays.copyOf(data, data.length * percent / 100);
        assertThatThrownBy(() -> SnapshotBlock.decodeSeries("s", cut)).isInstanceOf(SnapshotBlock.Corrupt.class);
    }
}
