package dev.flick.collector;

import java.util.List;

/**
 * Writes snapshots and host info as API.md's JSON, by hand: the agent must stay small, and this runs every second
 * for every server. Percentages and loads carry two decimals, byte rates are whole numbers; NaN and infinities,
 * which JSON cannot hold, are written as 0, except where docs/snapshot.md calls a field optional ("unknown"): those
 * are left out.
 */
public final class SnapshotJson {

    private SnapshotJson() {}

    public static String write(Snapshot s) {
        StringBuilder out = new StringBuilder(2048).append('{');
        fields(out, s);
        return out.append('}').toString();
    }

    /** With one field before the snapshot's own: {@code write(s, "type", "snapshot")} is the hub's live message. */
    public static String write(Snapshot s, String key, String value) {
        StringBuilder out = new StringBuilder(2048).append('{');
        string(out, key).append(':');
        string(out, value).append(',');
        fields(out, s);
        return out.append('}').toString();
    }

    /** Appends the snapshot's fields (no braces) to a message being built. */
    public static StringBuilder appendFields(StringBuilder out, Snapshot s) {
        fields(out, s);
        return out;
    }

    public static String write(HostInfo h) {
        StringBuilder out = new StringBuilder(256).append('{');
        out.append("\"hostname\":");
        string(out, h.hostname()).append(",\"os\":");
        string(out, h.os()).append(",\"kernel\":");
        string(out, h.kernel()).append(",\"cpuModel\":");
        string(out, h.cpuModel()).append(",\"cores\":").append(h.cores())
                .append(",\"memoryTotal\":").append(h.memoryTotal())
                .append(",\"uptime\":").append(h.uptime());
        return out.append('}').toString();
    }

    private static void fields(StringBuilder out, Snapshot s) {
        out.append("\"serverId\":");
        string(out, s.serverId()).append(",\"ts\":").append(s.ts());

        Snapshot.Cpu c = s.cpu();
        out.append(",\"cpu\":{\"usage\":");
        hundredths(out, c.usage()).append(",\"user\":");
        hundredths(out, c.user()).append(",\"system\":");
        hundredths(out, c.system()).append(",\"iowait\":");
        hundredths(out, c.iowait()).append(",\"steal\":");
        hundredths(out, c.steal()).append(",\"cores\":[");
        for (int i = 0; i < c.cores().length; i++) {
            if (i > 0) out.append(',');
            hundredths(out, c.cores()[i]);
        }
        out.append("],\"load1\":");
        hundredths(out, c.load1()).append(",\"load5\":");
        hundredths(out, c.load5()).append(",\"load15\":");
        hundredths(out, c.load15()).append('}');

        Snapshot.Memory m = s.memory();
        out.append(",\"memory\":{\"total\":").append(m.total())
                .append(",\"used\":").append(m.used())
                .append(",\"available\":").append(m.available())
                .append(",\"cached\":").append(m.cached())
                .append(",\"swapTotal\":").append(m.swapTotal())
                .append(",\"swapUsed\":").append(m.swapUsed()).append('}');

        out.append(",\"disks\":[");
        List<Snapshot.Disk> disks = s.disks();
        for (int i = 0; i < disks.size(); i++) {
            Snapshot.Disk d = disks.get(i);
            out.append(i > 0 ? ",{\"mount\":" : "{\"mount\":");
            string(out, d.mount()).append(",\"device\":");
            string(out, d.device()).append(",\"fs\":");
            string(out, d.fs()).append(",\"total\":").append(d.total()).append(",\"used\":").append(d.used()).append('}');
        }

        Snapshot.DiskIo io = s.diskIo();
        out.append("],\"diskIo\":{\"readBps\":");
        whole(out, io.readBps()).append(",\"writeBps\":");
        whole(out, io.writeBps()).append(",\"devices\":[");
        for (int i = 0; i < io.devices().size(); i++) {
            Snapshot.DiskIo.Device d = io.devices().get(i);
            out.append(i > 0 ? ",{\"name\":" : "{\"name\":");
            string(out, d.name()).append(",\"readBps\":");
            whole(out, d.readBps()).append(",\"writeBps\":");
            whole(out, d.writeBps()).append('}');
        }

        Snapshot.Network n = s.network();
        out.append("]},\"network\":{\"rxBps\":");
        whole(out, n.rxBps()).append(",\"txBps\":");
        whole(out, n.txBps()).append(",\"interfaces\":[");
        for (int i = 0; i < n.interfaces().size(); i++) {
            Snapshot.Network.Interface f = n.interfaces().get(i);
            out.append(i > 0 ? ",{\"name\":" : "{\"name\":");
            string(out, f.name()).append(",\"rxBps\":");
            whole(out, f.rxBps()).append(",\"txBps\":");
            whole(out, f.txBps()).append('}');
        }

        Snapshot.Processes p = s.processes();
        out.append("]},\"processes\":{\"count\":").append(p.count()).append(",\"top\":[");
        for (int i = 0; i < p.top().size(); i++) {
            Snapshot.Processes.Process t = p.top().get(i);
            out.append(i > 0 ? ",{\"pid\":" : "{\"pid\":").append(t.pid()).append(",\"name\":");
            string(out, t.name()).append(",\"user\":");
            string(out, t.user()).append(",\"cpu\":");
            hundredths(out, t.cpu()).append(",\"rss\":").append(t.rss()).append(",\"command\":");
            string(out, t.command());
            optionalWhole(out, "readBps", t.readBps());
            optionalWhole(out, "writeBps", t.writeBps());
            out.append('}');
        }
        out.append("]}");
        inventory(out, s);
        containers(out, s.containers());
    }

    /** The optional host-inventory sections (docs/snapshot.md); each left out when null (not collected here). */
    private static void inventory(StringBuilder out, Snapshot s) {
        if (s.sensors() != null) {
            out.append(",\"sensors\":[");
            for (int i = 0; i < s.sensors().size(); i++) {
                if (i > 0) out.append(',');
                sensor(out, s.sensors().get(i));
            }
            out.append(']');
        }
        if (s.gpus() != null) {
            out.append(",\"gpus\":[");
            for (int i = 0; i < s.gpus().size(); i++) {
                if (i > 0) out.append(',');
                gpu(out, s.gpus().get(i));
            }
            out.append(']');
        }
        if (s.diskHealth() != null) diskHealth(out.append(",\"diskHealth\":"), s.diskHealth());
        if (s.services() != null) services(out.append(",\"services\":"), s.services());
    }

    static StringBuilder sensor(StringBuilder out, Snapshot.Sensor x) {
        out.append("{\"chip\":");
        string(out, x.chip()).append(",\"label\":");
        string(out, x.label()).append(",\"kind\":\"").append(x.kind().json()).append("\",\"value\":");
        hundredths(out, x.value());
        optionalHundredths(out, "max", x.max());
        optionalHundredths(out, "critical", x.critical());
        return out.append('}');
    }

    static StringBuilder gpu(StringBuilder out, Snapshot.Gpu g) {
        out.append("{\"id\":");
        string(out, g.id()).append(",\"name\":");
        string(out, g.name()).append(",\"vendor\":\"").append(g.vendor().json()).append('"');
        optionalHundredths(out, "utilization", g.utilization());
        if (g.memoryUsed() >= 0) out.append(",\"memoryUsed\":").append(g.memoryUsed());
        if (g.memoryTotal() >= 0) out.append(",\"memoryTotal\":").append(g.memoryTotal());
        optionalHundredths(out, "temperature", g.temperature());
        optionalHundredths(out, "power", g.power());
        return out.append('}');
    }

    /** The disk-health section alone, as in a snapshot; the block codec stores it as this text. */
    public static StringBuilder diskHealth(StringBuilder out, Snapshot.DiskHealth h) {
        out.append('{');
        if (h.unavailable() != null) out.append("\"unavailable\":\"").append(h.unavailable().json()).append("\",");
        out.append("\"checkedAt\":").append(h.checkedAt()).append(",\"drives\":[");
        for (int i = 0; i < h.drives().size(); i++) {
            Snapshot.DiskHealth.Drive d = h.drives().get(i);
            out.append(i > 0 ? ",{\"device\":" : "{\"device\":");
            string(out, d.device()).append(",\"model\":");
            string(out, d.model()).append(",\"protocol\":");
            string(out, d.protocol()).append(",\"health\":\"").append(d.health().json()).append('"');
            if (d.standby()) out.append(",\"standby\":true");
            optionalHundredths(out, "temperature", d.temperature());
            optionalCount(out, "powerOnHours", d.powerOnHours());
            optionalCount(out, "reallocated", d.reallocated());
            optionalCount(out, "pending", d.pending());
            optionalHundredths(out, "percentageUsed", d.percentageUsed());
            optionalCount(out, "mediaErrors", d.mediaErrors());
            out.append('}');
        }
        return out.append("]}");
    }

    /** The services section alone, as in a snapshot; the block codec stores it as this text. */
    public static StringBuilder services(StringBuilder out, Snapshot.Services v) {
        out.append("{\"total\":").append(v.total()).append(",\"active\":").append(v.active())
                .append(",\"inactive\":").append(v.inactive()).append(",\"failed\":").append(v.failed())
                .append(",\"transitioning\":").append(v.transitioning()).append(",\"failedUnits\":[");
        for (int i = 0; i < v.failedUnits().size(); i++) {
            if (i > 0) out.append(',');
            string(out, v.failedUnits().get(i));
        }
        out.append("],\"watched\":[");
        for (int i = 0; i < v.watched().size(); i++) {
            Snapshot.Services.Unit u = v.watched().get(i);
            out.append(i > 0 ? ",{\"name\":" : "{\"name\":");
            string(out, u.name()).append(",\"activeState\":");
            string(out, u.activeState()).append(",\"subState\":");
            string(out, u.subState()).append('}');
        }
        return out.append("]}");
    }

    private static void optionalHundredths(StringBuilder out, String key, double v) {
        if (Double.isFinite(v)) hundredths(out.append(",\"").append(key).append("\":"), v);
    }

    private static void optionalWhole(StringBuilder out, String key, double v) {
        if (Double.isFinite(v)) whole(out.append(",\"").append(key).append("\":"), v);
    }

    private static void optionalCount(StringBuilder out, String key, long v) {
        if (v >= 0) out.append(",\"").append(key).append("\":").append(v);
    }

    /** docs/snapshot.md "containers"; left out when not collected. */
    private static void containers(StringBuilder out, List<Snapshot.Container> list) {
        if (list == null) return;
        out.append(",\"containers\":[");
        for (int i = 0; i < list.size(); i++) {
            Snapshot.Container c = list.get(i);
            out.append(i > 0 ? ",{\"id\":" : "{\"id\":");
            string(out, c.id()).append(",\"name\":");
            string(out, c.name()).append(",\"image\":");
            string(out, c.image()).append(",\"state\":\"").append(c.state().json())
                    .append("\",\"health\":\"").append(c.health().json())
                    .append("\",\"restarts\":").append(c.restarts())
                    .append(",\"startedAt\":").append(c.startedAt()).append(",\"cpu\":");
            hundredths(out, c.cpu()).append(",\"memory\":").append(c.memory())
                    .append(",\"memoryLimit\":").append(c.memoryLimit()).append(",\"rxBps\":");
            whole(out, c.rxBps()).append(",\"txBps\":");
            whole(out, c.txBps()).append(",\"readBps\":");
            whole(out, c.readBps()).append(",\"writeBps\":");
            whole(out, c.writeBps()).append(",\"pids\":").append(c.pids()).append('}');
        }
        out.append(']');
    }

    /** Two decimals without trailing zeros: 12.5, 3, 0.07. */
    static StringBuilder hundredths(StringBuilder out, double value) {
        if (!Double.isFinite(value)) return out.append('0');
        long scaled = Math.round(value * 100);
        if (scaled < 0) {
            out.append('-');
            scaled = -scaled;
        }
        out.append(scaled / 100);
        long fraction = scaled % 100;
        if (fraction != 0) {
            out.append('.').append((char) ('0' + fraction / 10));
            if (fraction % 10 != 0) out.append((char) ('0' + fraction % 10));
        }
        return out;
    }

    static StringBuilder whole(StringBuilder out, double value) {
        return out.append(Double.isFinite(value) ? Math.round(value) : 0);
    }

    /** A JSON string: quotes, backslashes and control characters escaped, and U+2028/U+2029 and lone surrogates too. */
    static StringBuilder string(StringBuilder out, String value) {
        if (value == null) return out.append("null");
        out.append('"');
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        unicode(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicode(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static void unicode(StringBuilder out, char c) {
        out.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4) out.append(Character.forDigit((c >> shift) & 0xf, 16));
    }
}
