package dev.flick.hub.collect;

import java.util.ArrayList;
import java.util.List;

import dev.flick.collector.HostInfo;
import dev.flick.collector.LogLine;
import dev.flick.collector.Snapshot;
import dev.flick.hub.logs.LogEntry;
import dev.flick.hub.metrics.InventoryJson;

import tools.jackson.databind.JsonNode;

/**
 * Reads what an agent sends into the collector's own records, checking every field: an agent is a remote program the
 * hub does not control, so a missing object, a string where a number goes, a negative byte count or a time far from
 * now is refused with a readable reason ({@link Invalid}) rather than reaching the ingest path. Any serverId the agent
 * puts in a snapshot is ignored: the socket's token decides which server it is.
 */
final class AgentMessages {

    static final long MAX_FUTURE_MS = 5 * 60_000;
    static final long MAX_AGE_MS = 7 * 86_400_000L;
    private static final int MAX_TEXT = 4_096;

    private AgentMessages() {}

    /** Why an item was refused; {@code code} is {@code invalid} or {@code clock}. */
    static final class Invalid extends Exception {
        final String code;

        Invalid(String message) {
            this("invalid", message);
        }

        Invalid(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /**
     * A snapshot at hub time: its {@code ts} (the agent's clock) minus the agent's measured {@code offset}, which must
     * then lie within 5 minutes ahead and 7 days behind the hub's clock.
     */
    static Snapshot snapshot(JsonNode n, String serverId, long now, long offset) throws Invalid {
        object(n, "snapshot");
        long ts = hubTime(whole(n, "ts"), now, offset);
        JsonNode c = object(n.get("cpu"), "cpu");
        JsonNode coresNode = array(c.get("cores"), "cpu.cores", 4_096);
        double[] cores = new double[coresNode.size()];
        for (int i = 0; i < cores.length; i++) cores[i] = percent(coresNode.get(i), "cpu.cores[" + i + "]");
        Snapshot.Cpu cpu = new Snapshot.Cpu(percent(c.get("usage"), "cpu.usage"), percent(c.get("user"), "cpu.user"),
                percent(c.get("system"), "cpu.system"), percent(c.get("iowait"), "cpu.iowait"), percent(c.get("steal"), "cpu.steal"),
                cores, positive(c.get("load1"), "cpu.load1"), positive(c.get("load5"), "cpu.load5"), positive(c.get("load15"), "cpu.load15"));
        JsonNode m = object(n.get("memory"), "memory");
        Snapshot.Memory memory = new Snapshot.Memory(whole(m, "total"), whole(m, "used"), whole(m, "available"),
                whole(m, "cached"), whole(m, "swapTotal"), whole(m, "swapUsed"));
        List<Snapshot.Disk> disks = new ArrayList<>();
        for (JsonNode d : array(n.get("disks"), "disks", 1_024)) {
            object(d, "disks[]");
            disks.add(new Snapshot.Disk(text(d, "mount"), text(d, "device"), text(d, "fs"), whole(d, "total"), whole(d, "used")));
        }
        JsonNode io = object(n.get("diskIo"), "diskIo");
        List<Snapshot.DiskIo.Device> devices = new ArrayList<>();
        for (JsonNode d : array(io.get("devices"), "diskIo.devices", 1_024)) {
            object(d, "diskIo.devices[]");
            devices.add(new Snapshot.DiskIo.Device(text(d, "name"), positive(d.get("readBps"), "readBps"), positive(d.get("writeBps"), "writeBps")));
        }
        JsonNode net = object(n.get("network"), "network");
        List<Snapshot.Network.Interface> interfaces = new ArrayList<>();
        for (JsonNode f : array(net.get("interfaces"), "network.interfaces", 4_096)) {
            object(f, "network.interfaces[]");
            interfaces.add(new Snapshot.Network.Interface(text(f, "name"), positive(f.get("rxBps"), "rxBps"), positive(f.get("txBps"), "txBps")));
        }
        JsonNode p = object(n.get("processes"), "processes");
        List<Snapshot.Processes.Process> top = new ArrayList<>();
        for (JsonNode t : array(p.get("top"), "processes.top", 100)) {
            object(t, "processes.top[]");
            long pid = whole(t, "pid");
            if (pid > Integer.MAX_VALUE) throw new Invalid("processes.top[].pid is out of range");
            top.add(new Snapshot.Processes.Process((int) pid, text(t, "name"), text(t, "user"), positive(t.get("cpu"), "processes.top[].cpu"),
                    whole(t, "rss"), text(t, "command"), optionalRate(t, "readBps"), optionalRate(t, "writeBps")));
        }
        long count = whole(p, "count");
        Snapshot core = new Snapshot(serverId, ts, cpu, memory, disks,
                new Snapshot.DiskIo(positive(io.get("readBps"), "diskIo.readBps"), positive(io.get("writeBps"), "diskIo.writeBps"), devices),
                new Snapshot.Network(positive(net.get("rxBps"), "network.rxBps"), positive(net.get("txBps"), "network.txBps"), interfaces),
                new Snapshot.Processes((int) Math.min(count, Integer.MAX_VALUE), top));
        try {
            return InventoryJson.attach(core, n, true).withContainers(containers(n.get("containers")));
        } catch (InventoryJson.Invalid e) {
            throw new Invalid(e.getMessage());
        }
    }

    /** A per-process I/O rate: absent means unknown (NaN), present must be a non-negative number. */
    private static double optionalRate(JsonNode t, String field) throws Invalid {
        JsonNode v = t.get(field);
        return v == null || v.isNull() ? Double.NaN : positive(v, "processes.top[]." + field);
    }

    static final int MAX_CONTAINERS = 2_000;
    static final java.util.Set<String> CONTAINER_STATES = states(Snapshot.Container.State.values());
    static final java.util.Set<String> CONTAINER_HEALTH = states(Snapshot.Container.Health.values());

    /** docs/snapshot.md "containers": absent or null means not collected; every field checked like the rest. */
    private static List<Snapshot.Container> containers(JsonNode list) throws Invalid {
        if (list == null || list.isNull()) return null;
        List<Snapshot.Container> out = new ArrayList<>();
        for (JsonNode c : array(list, "containers", MAX_CONTAINERS)) {
            object(c, "containers[]");
            String state = text(c, "state");
            if (!CONTAINER_STATES.contains(state)) throw new Invalid("containers[].state must be one of " + CONTAINER_STATES);
            String health = text(c, "health");
            if (!CONTAINER_HEALTH.contains(health)) throw new Invalid("containers[].health must be one of " + CONTAINER_HEALTH);
            long restarts = whole(c, "restarts"), pids = whole(c, "pids");
            if (restarts > Integer.MAX_VALUE) throw new Invalid("containers[].restarts is out of range");
            if (pids > Integer.MAX_VALUE) throw new Invalid("containers[].pids is out of range");
            // cpu is percent of one core: a container may use many.
            out.add(new Snapshot.Container(text(c, "id"), text(c, "name"), text(c, "image"),
                    Snapshot.Container.State.of(state), Snapshot.Container.Health.of(health), (int) restarts,
                    whole(c, "startedAt"), positive(c.get("cpu"), "containers[].cpu"), whole(c, "memory"),
                    whole(c, "memoryLimit"), positive(c.get("rxBps"), "containers[].rxBps"),
                    positive(c.get("txBps"), "containers[].txBps"), positive(c.get("readBps"), "containers[].readBps"),
                    positive(c.get("writeBps"), "containers[].writeBps"), (int) pids));
        }
        return out;
    }

    private static java.util.Set<String> states(Enum<?>[] values) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Enum<?> v : values) out.add(v.name().toLowerCase(java.util.Locale.ROOT));
        return java.util.Collections.unmodifiableSet(out);
    }

    static final java.util.Set<String> LOG_SOURCES = java.util.Set.of("journal", "syslog");
    static final java.util.Set<String> LOG_LEVELS = java.util.Set.of("debug", "info", "notice", "warning", "error", "critical");
    static final int MAX_UNIT = 256;

    /** One system-log line: a known source and level, a bounded unit and message, a time near now. */
    static LogEntry logLine(JsonNode n, String serverId, long now, long offset) throws Invalid {
        object(n, "line");
        long ts = hubTime(whole(n, "ts"), now, offset);
        String source = text(n, "source");
        if (!LOG_SOURCES.contains(source)) throw new Invalid("source must be journal or syslog");
        String level = text(n, "level");
        if (!LOG_LEVELS.contains(level)) throw new Invalid("level must be one of " + LOG_LEVELS);
        JsonNode u = n.get("unit");
        String unit = null;
        if (u != null && !u.isNull()) {
            if (!u.isString()) throw new Invalid("unit must be a string");
            unit = u.asString();
            if (unit.length() > MAX_UNIT) throw new Invalid("unit is longer than " + MAX_UNIT + " characters");
            if (unit.isEmpty()) unit = null;
        }
        JsonNode m = n.get("message");
        if (m == null || !m.isString()) throw new Invalid("message must be a string");
        String message = m.asString();
        if (message.length() > LogLine.MAX_MESSAGE) throw new Invalid("message is longer than " + LogLine.MAX_MESSAGE + " characters");
        return new LogEntry(ts, serverId, source, level, unit, message, null, null);
    }

    static HostInfo hostInfo(JsonNode n) throws Invalid {
        object(n, "info");
        long cores = whole(n, "cores");
        return new HostInfo(text(n, "hostname"), text(n, "os"), text(n, "kernel"), text(n, "cpuModel"),
                (int) Math.min(cores, 1 << 20), whole(n, "memoryTotal"), whole(n, "uptime"));
    }

    private static long hubTime(long agentTs, long now, long offset) throws Invalid {
        long ts = agentTs - offset;
        if (ts > now + MAX_FUTURE_MS) {
            throw new Invalid("clock", "ts is more than 5 minutes ahead of the hub's clock even after the measured offset of "
                    + offset + " ms; the agent's clock jumped");
        }
        if (ts < now - MAX_AGE_MS) throw new Invalid("clock", "ts is more than 7 days old at hub time");
        return ts;
    }

    /** The numeric ts of an item, or -1: used to acknowledge even items that were refused, so they are not resent. */
    static long tsOf(JsonNode item) {
        JsonNode ts = item == null ? null : item.get("ts");
        return ts != null && ts.isIntegralNumber() ? ts.asLong() : -1;
    }

    private static JsonNode object(JsonNode n, String what) throws Invalid {
        if (n == null || !n.isObject()) throw new Invalid(what + " must be an object");
        return n;
    }

    private static JsonNode array(JsonNode n, String what, int max) throws Invalid {
        if (n == null || !n.isArray()) throw new Invalid(what + " must be an array");
        if (n.size() > max) throw new Invalid(what + " has more than " + max + " entries");
        return n;
    }

    private static long whole(JsonNode parent, String field) throws Invalid {
        JsonNode v = parent.get(field);
        if (v == null || !v.isNumber()) throw new Invalid(field + " must be a number");
        double d = v.asDouble();
        if (!(d >= 0) || d > 9.2e18) throw new Invalid(field + " must be a non-negative number");
        return v.asLong();
    }

    private static double positive(JsonNode v, String field) throws Invalid {
        if (v == null || !v.isNumber()) throw new Invalid(field + " must be a number");
        double d = v.asDouble();
        if (!(d >= 0) || Double.isInfinite(d)) throw new Invalid(field + " must be a non-negative number");
        return d;
    }

    private static double percent(JsonNode v, String field) throws Invalid {
        double d = positive(v, field);
        if (d > 100.0001) throw new Invalid(field + " must be a percentage (0–100)");
        return d;
    }

    private static String text(JsonNode parent, String field) throws Invalid {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) return "";
        if (!v.isString()) throw new Invalid(field + " must be a string");
        String s = v.asString();
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
    }
}
