package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What an agent sends in the inventory sections is read back exactly, and refused with the field named when wrong. */
class AgentInventoryMessagesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final long NOW = 1_764_600_000_000L;

    static Snapshot full() {
        return new Snapshot("agent", NOW, new Snapshot.Cpu(1, 1, 0, 0, 0, new double[] {1}, 0, 0, 0),
                new Snapshot.Memory(10, 5, 5, 0, 0, 0), List.of(), new Snapshot.DiskIo(0, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()),
                new Snapshot.Processes(2, List.of(new Snapshot.Processes.Process(7, "dd", "root", 50, 1024, "dd", 4096, 0),
                        new Snapshot.Processes.Process(8, "sleep", "nobody", 0, 512, "sleep 1"))),
                null, List.of(new Snapshot.Sensor("coretemp", "Core 0", Snapshot.SensorKind.TEMPERATURE, 45.5, 80, 100),
                        new Snapshot.Sensor("nct6798", "fan2", Snapshot.SensorKind.FAN, 1074, Double.NaN, Double.NaN)),
                List.of(new Snapshot.Gpu("card0", "AMD card0", Snapshot.GpuVendor.AMD, 37, 1 << 30, 16L << 30, 52, 31)),
                new Snapshot.DiskHealth(null, NOW - 1000, List.of(new Snapshot.DiskHealth.Drive("/dev/nvme0", "Samsung SSD 980 PRO 1TB",
                        "NVMe", Snapshot.SmartHealth.PASSED, false, 39, 6241, -1, -1, 3, 0))),
                new Snapshot.Services(8, 3, 2, 2, 1, List.of("nginx.service"), List.of(new Snapshot.Services.Unit("cron.service", "active", "running"))));
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void readsEverySectionBackAsTheAgentWroteIt() throws Exception {
        Snapshot s = full();
        Snapshot back = AgentMessages.snapshot(json(SnapshotJson.write(s)), "srv-1", NOW, 0);
        assertThat(SnapshotJson.write(back)).isEqualTo(SnapshotJson.write(s.withServerId("srv-1")));
        assertThat(back.processes().top().get(1).readBps()).isNaN();
        assertThat(back.sensors().get(1).critical()).isNaN();
    }

    @Test
    void anAgentWithoutTheSectionsSendsNoneAndGetsNone() throws Exception {
        Snapshot core = new Snapshot("a", NOW, full().cpu(), full().memory(), List.of(), full().diskIo(), full().network(),
                new Snapshot.Processes(0, List.of()));
        Snapshot back = AgentMessages.snapshot(json(SnapshotJson.write(core)), "srv-1", NOW, 0);
        assertThat(back.sensors()).isNull();
        assertThat(back.gpus()).isNull();
        assertThat(back.diskHealth()).isNull();
        assertThat(back.services()).isNull();
    }

    @Test
    void wrongValuesAreRefusedNamingTheField() {
        String good = SnapshotJson.write(full());
        assertThatThrownBy(() -> AgentMessages.snapshot(json(good.replace("\"kind\":\"fan\"", "\"kind\":\"humidity\"")), "s", NOW, 0))
                .isInstanceOf(AgentMessages.Invalid.class).hasMessageContaining("sensors[].kind");
        assertThatThrownBy(() -> AgentMessages.snapshot(json(good.replace("\"utilization\":37", "\"utilization\":370")), "s", NOW, 0))
                .isInstanceOf(AgentMessages.Invalid.class).hasMessageContaining("gpus[].utilization");
        assertThatThrownBy(() -> AgentMessages.snapshot(json(good.replace("\"health\":\"passed\"", "\"health\":\"fine\"")), "s", NOW, 0))
                .isInstanceOf(AgentMessages.Invalid.class).hasMessageContaining("health");
        assertThatThrownBy(() -> AgentMessages.snapshot(json(good.replace("\"readBps\":4096", "\"readBps\":-5")), "s", NOW, 0))
                .isInstanceOf(AgentMessages.Invalid.class).hasMessageContaining("processes.top[].readBps");
        assertThatThrownBy(() -> AgentMessages.snapshot(json(good.replace("\"failedUnits\":[\"nginx.service\"]", "\"failedUnits\":[1]")), "s", NOW, 0))
                .isInstanceOf(AgentMessages.Invalid.class).hasMessageContaining("services.failedUnits");
        assertThatThrownBy(() -> AgentMessages.snapshot(json(good.replace("\"sensors\":[", "\"sensors\":{\"x\":[").replace("}],\"gpus\"", "}]},\"gpus\"")), "s", NOW, 0))
                .isInstanceOf(AgentMessages.Invalid.class).hasMessageContaining("sensors must be an array");
    }
}
