package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;

import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

/** An agent's containers section is read field by field, and refused with the field named when it is wrong. */
class AgentContainersMessageTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final long NOW = 1_800_000_000_000L;

    static Snapshot snapshot(List<Snapshot.Container> containers) {
        return new Snapshot("x", NOW, new Snapshot.Cpu(1, 1, 0, 0, 0, new double[] {1}, 0, 0, 0),
                new Snapshot.Memory(10, 5, 5, 0, 0, 0), List.of(), new Snapshot.DiskIo(0, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()), new Snapshot.Processes(1, List.of())).withContainers(containers);
    }

    static Snapshot read(String json) throws AgentMessages.Invalid {
        return AgentMessages.snapshot(JSON.readTree(json), "server-1", NOW, 0);
    }

    @Test
    void containersComeThroughAsSentAndAbsentStaysNotCollected() throws Exception {
        Snapshot.Container web = new Snapshot.Container("0123456789ab", "web", "nginx:1", Snapshot.Container.State.RESTARTING,
                Snapshot.Container.Health.UNHEALTHY, 4, NOW - 60_000, 250.5, 1 << 20, 1 << 30, 10, 20, 30, 40, 7);
        assertThat(read(SnapshotJson.write(snapshot(List.of(web)))).containers()).containsExactly(web);
        assertThat(read(SnapshotJson.write(snapshot(List.of()))).containers()).isEmpty();
        assertThat(read(SnapshotJson.write(snapshot(null))).containers()).isNull();
    }

    @Test
    void aWrongFieldIsRefusedByName() {
        String good = SnapshotJson.write(snapshot(List.of(new Snapshot.Container("0123456789ab", "web", "nginx:1",
                Snapshot.Container.State.RUNNING, Snapshot.Container.Health.NONE, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1))));
        assertThatThrownBy(() -> read(good.replace("\"running\"", "\"sleepy\""))).hasMessageContaining("containers[].state");
        assertThatThrownBy(() -> read(good.replace("\"health\":\"none\"", "\"health\":3"))).hasMessageContaining("health");
        assertThatThrownBy(() -> read(good.replace("\"memory\":1,", "\"memory\":-5,"))).hasMessageContaining("memory");
        assertThatThrownBy(() -> read(good.replace("\"containers\":[", "\"containers\":7,\"other\":[")))
                .hasMessageContaining("containers must be an array");
    }
}
