package dev.flick.hub.metrics;

import java.util.ArrayList;
import java.util.List;

import dev.flick.collector.Snapshot;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads back a snapshot stored as the JSON {@code collector.SnapshotJson} writes (the inflated
 * {@code metrics_snapshots.detail}, with or without the live message's {@code "type"} field). Lenient: a missing
 * field is 0, a missing list empty, a missing string "" (a JSON null stays null), and unknown fields are ignored, so
 * rows from older collectors read. Only a payload that is not a JSON object throws ({@link SnapshotBlock.Corrupt}).
 * Numbers keep the precision they were written with: {@code fromJson(id, SnapshotJson.write(s))} equals {@code s}
 * to 0.01 for percentages and loads and to 1 B/s for rates, exactly for the rest.
 */
final class StoredSnapshot {

    /** Trailing content after the object means the row is not what was written. */
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private StoredSnapshot() {}

    /** The snapshot in {@code utf8Json}, as server {@code serverId} (the JSON's own serverId is not used). */
    static Snapshot fromJson(String serverId, byte[] utf8Json) {
        JsonNode root;
        try {
            root = JSON.readTree(utf8Json);
        } catch (JacksonException e) {
            throw new SnapshotBlock.Corrupt("Stored snapshot JSON is unreadable: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SnapshotBlock.Corrupt("Stored snapshot JSON is not an object: "
                    + (root == null ? "empty" : root.getNodeType()));
        }
        try {
            return snapshot(serverId, root);
        } catch (JacksonException e) {
            throw new SnapshotBlock.Corrupt("Stored snapshot JSON has an unreadable value: " + e.getOriginalMessage(), e);
        }
    }

    private static Snapshot snapshot(String serverId, JsonNode root) {
        JsonNode c = root.path("cpu");
        JsonNode coreList = c.path("cores");
        double[] cores = new double[coreList.isArray() ? coreList.size() : 0];
        for (int i = 0; i < cores.length; i++) cores[i] = number(coreList.path(i));
        Snapshot.Cpu cpu = new Snapshot.Cpu(number(c.path("usage")), number(c.path("user")), number(c.path("system")),
                number(c.path("iowait")), number(c.path("steal")), cores,
                number(c.path("load1")), number(c.path("load5")), number(c.path("load15")));

        JsonNode m = root.path("memory");
        Snapshot.Memory memory = new Snapshot.Memory(integer(m.path("total")), integer(m.path("used")),
                integer(m.path("available")), integer(m.path("cached")),
                integer(m.path("swapTotal")), integer(m.path("swapUsed")));

        List<Snapshot.Disk> disks = new ArrayList<>();
        for (JsonNode d : list(root.path("disks"))) {
            disks.add(new Snapshot.Disk(text(d.path("mount")), text(d.path("device")), text(d.path("fs")),
                    integer(d.path("total")), integer(d.path("used"))));
        }

        JsonNode io = root.path("diskIo");
        List<Snapshot.DiskIo.Device> devices = new ArrayList<>();
        for (JsonNode d : list(io.path("devices"))) {
            devices.add(new Snapshot.DiskIo.Device(text(d.path("name")), number(d.path("readBps")), number(d.path("writeBps"))));
        }

        JsonNode n = root.path("network");
        List<Snapshot.Network.Interface> interfaces = new ArrayList<>();
        for (JsonNode f : list(n.path("interfaces"))) {
            interfaces.add(new Snapshot.Network.Interface(text(f.path("name")), number(f.path("rxBps")), number(f.path("txBps"))));
        }

        JsonNode p = root.path("processes");
        List<Snapshot.Processes.Process> top = new ArrayList<>();
        for (JsonNode t : list(p.path("top"))) {
            top.add(new Snapshot.Processes.Process((int) integer(t.path("pid")), text(t.path("name")), text(t.path("user")),
                    number(t.path("cpu")), integer(t.path("rss")), text(t.path("command")),
                    InventoryJson.optional(t, "readBps", false), InventoryJson.optional(t, "writeBps", false)));
        }

        return InventoryJson.attach(new Snapshot(serverId, integer(root.path("ts")), cpu, memory, disks,
                new Snapshot.DiskIo(number(io.path("readBps")), number(io.path("writeBps")), devices),
                new Snapshot.Network(number(n.path("rxBps")), number(n.path("txBps")), interfaces),
                new Snapshot.Processes((int) integer(p.path("count")), top)), root, false)
                .withContainers(containers(root.path("containers")));
    }

    /** null when the snapshot has no containers section (not collected). */
    private static List<Snapshot.Container> containers(JsonNode list) {
        if (!list.isArray()) return null;
        List<Snapshot.Container> out = new ArrayList<>(list.size());
        for (JsonNode c : list) {
            out.add(new Snapshot.Container(text(c.path("id")), text(c.path("name")), text(c.path("image")),
                    Snapshot.Container.State.of(c.path("state").asString("")),
                    Snapshot.Container.Health.of(c.path("health").asString("")), (int) integer(c.path("restarts")),
                    integer(c.path("startedAt")), number(c.path("cpu")), integer(c.path("memory")),
                    integer(c.path("memoryLimit")), number(c.path("rxBps")), number(c.path("txBps")),
                    number(c.path("readBps")), number(c.path("writeBps")), (int) integer(c.path("pids"))));
        }
        return out;
    }

    private static Iterable<JsonNode> list(JsonNode node) {
        return node.isArray() ? node : List.of();
    }

    private static double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : node.asDouble(0);
    }

    private static long integer(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) return node.asLong();
        if (node.isNumber()) return (long) node.asDouble(); // 1.0e3, or a value beyond long: saturated
        return node.asLong(0);
    }

    private static String text(JsonNode node) {
        if (node.isNull()) return null;
        return node.isString() ? node.asString() : node.asString("");
    }
}
