package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SnapshotJsonTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void writesTheShapeApiMdPromises() {
        JsonNode n = json.readTree(SnapshotJson.write(Fixtures.smallSecond()));
        assertThat(n.propertyNames()).containsExactly("serverId", "ts", "cpu", "memory", "disks", "diskIo", "network", "processes");
        assertThat(n.get("cpu").propertyNames()).containsExactly("usage", "user", "system", "iowait", "steal", "cores", "load1", "load5", "load15");
        assertThat(n.get("memory").propertyNames()).containsExactly("total", "used", "available", "cached", "swapTotal", "swapUsed");
        assertThat(n.get("disks").get(0).propertyNames()).containsExactly("mount", "device", "fs", "total", "used");
        assertThat(n.get("diskIo").propertyNames()).containsExactly("readBps", "writeBps", "devices");
        assertThat(n.get("diskIo").get("devices").get(0).propertyNames()).containsExactly("name", "readBps", "writeBps");
        assertThat(n.get("network").propertyNames()).containsExactly("rxBps", "txBps", "interfaces");
        assertThat(n.get("network").get("interfaces").get(0).propertyNames()).containsExactly("name", "rxBps", "txBps");
        assertThat(n.get("processes").propertyNames()).containsExactly("count", "top");
        assertThat(n.get("processes").get("top").get(0).propertyNames()).containsExactly("pid", "name", "user", "cpu", "rss", "command");

        assertThat(n.get("serverId").asString()).isEqualTo("srv");
        assertThat(n.get("cpu").get("usage").doubleValue()).isEqualTo(75.0);
        assertThat(n.get("cpu").get("cores").get(1).doubleValue()).isEqualTo(50.0);
        assertThat(n.get("memory").get("used").longValue()).isEqualTo(3_000_000L * 1024);
        assertThat(n.get("diskIo").get("readBps").longValue()).isEqualTo(1_280_000L);
        assertThat(n.get("processes").get("top").get(0).get("cpu").doubleValue()).isEqualTo(200.0);
        assertThat(n.get("processes").get("top").get(0).get("command").asString()).isEqualTo("/usr/bin/busy --threads 2");
    }

    @Test
    void putsTheMessageTypeFirst() {
        String text = SnapshotJson.write(Fixtures.smallSecond(), "type", "snapshot");
        assertThat(text).startsWith("{\"type\":\"snapshot\",\"serverId\":\"srv\",\"ts\":");
        assertThat(json.readTree(text).propertyNames()).hasSize(9);
    }

    @Test
    void roundsPercentagesToHundredthsAndRatesToWholeBytes() {
        Snapshot s = withProcess("p", "c", 12.3456, 1_234.5678);
        JsonNode n = json.readTree(SnapshotJson.write(s));
        assertThat(n.get("cpu").get("usage").toString()).isEqualTo("33.33");
        assertThat(n.get("cpu").get("user").toString()).isEqualTo("0.07");
        assertThat(n.get("cpu").get("system").toString()).isEqualTo("12.5");
        assertThat(n.get("cpu").get("iowait").toString()).isEqualTo("0");
        assertThat(n.get("diskIo").get("readBps").toString()).isEqualTo("1235");
        assertThat(n.get("processes").get("top").get(0).get("cpu").toString()).isEqualTo("12.35");
    }

    @Test
    void nonFiniteNumbersBecomeZeroSoTheJsonStaysValid() {
        Snapshot.Cpu cpu = new Snapshot.Cpu(Double.NaN, Double.POSITIVE_INFINITY, 0, 0, 0, new double[] {Double.NaN}, 0, 0, 0);
        Snapshot s = withProcess("p", "c", 0, Double.NaN);
        s = new Snapshot(s.serverId(), s.ts(), cpu, s.memory(), s.disks(), s.diskIo(), s.network(), s.processes());
        JsonNode n = json.readTree(SnapshotJson.write(s));
        assertThat(n.get("cpu").get("usage").doubleValue()).isZero();
        assertThat(n.get("cpu").get("cores").get(0).doubleValue()).isZero();
    }

    @Test
    void escapesQuotesBackslashesControlCharactersAndOddUnicode() {
        String nasty = "a\"b\\c\nd\te\u0001f\u007f g\u2028h 한글 😀 \ud800 end";
        Snapshot s = withProcess(nasty, "cmd \"x\" \\ \r\n", 0, 0);
        String text = SnapshotJson.write(s);
        assertThat(text).doesNotContain("\n", "\u0001", "\u2028").contains("\\u0001", "\\u2028", "\\ud800", "한글", "😀");
        JsonNode p = json.readTree(text).get("processes").get("top").get(0);
        assertThat(p.get("name").asString()).isEqualTo(nasty);
        assertThat(p.get("command").asString()).isEqualTo("cmd \"x\" \\ \r\n");
    }

    @Test
    void aMissingServerIdIsNull() {
        Snapshot s = withProcess("p", "c", 0, 0).withServerId(null);
        assertThat(json.readTree(SnapshotJson.write(s)).get("serverId").isNull()).isTrue();
    }

    @Test
    void writesHostInfo() {
        HostInfo h = new HostInfo("web-1", "Debian GNU/Linux 12 (bookworm)", "6.1.0", "AMD \"EPYC\"", 4, 8L << 30, 3600);
        JsonNode n = json.readTree(SnapshotJson.write(h));
        assertThat(n.propertyNames()).containsExactly("hostname", "os", "kernel", "cpuModel", "cores", "memoryTotal", "uptime");
        assertThat(n.get("cpuModel").asString()).isEqualTo("AMD \"EPYC\"");
        assertThat(n.get("memoryTotal").longValue()).isEqualTo(8L << 30);
    }

    private static Snapshot withProcess(String name, String command, double cpu, double readBps) {
        return new Snapshot("s", 1L,
                new Snapshot.Cpu(100.0 / 3, 0.07, 12.5, 0.001, 0, new double[] {1, 2}, 0.1, 0.2, 0.3),
                new Snapshot.Memory(1, 1, 0, 0, 0, 0),
                List.of(new Snapshot.Disk("/", "/dev/x", "ext4", 10, 5)),
                new Snapshot.DiskIo(readBps, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()),
                new Snapshot.Processes(1, List.of(new Snapshot.Processes.Process(7, name, "root", cpu, 9, command))));
    }
}
