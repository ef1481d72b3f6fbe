package dev.flick.hub.metrics;

import java.util.ArrayList;
import java.util.List;

import dev.flick.collector.Snapshot;

import tools.jackson.databind.JsonNode;

/**
 * Reads the optional host-inventory sections of a snapshot's JSON (docs/snapshot.md: sensors, gpus, diskHealth,
 * services) back into the collector's records: strictly for what an agent sends (a wrong type, an unknown kind, a
 * list or text past its bound is refused, naming the field), leniently for what the hub stored itself (anything odd
 * is left out). A section that is absent stays null: not collected on that host.
 */
public final class InventoryJson {

    static final int MAX_SENSORS = 512, MAX_GPUS = 64, MAX_DRIVES = 256, MAX_NAME = 256;

    private InventoryJson() {}

    /** Why an agent's section was refused; the message names the field. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code base} with the inventory sections of {@code root}; strict: refuse rather than skip what is wrong. */
    public static Snapshot attach(Snapshot base, JsonNode root, boolean strict) {
        return new Snapshot(base.serverId(), base.ts(), base.cpu(), base.memory(), base.disks(), base.diskIo(), base.network(),
                base.processes(), base.containers(), sensors(root.get("sensors"), strict), gpus(root.get("gpus"), strict),
                diskHealth(root.get("diskHealth"), strict), services(root.get("services"), strict));
    }

    /** An optional number (NaN when absent); strict refuses a non-number or an infinity. */
    public static double optional(JsonNode n, String field, boolean strict) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return Double.NaN;
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            if (strict) throw new Invalid(field + " must be a number");
            return Double.NaN;
        }
        return v.asDouble();
    }

    private static List<Snapshot.Sensor> sensors(JsonNode n, boolean strict) {
        if (absent(n, "sensors", strict)) return null;
        List<Snapshot.Sensor> out = new ArrayList<>();
        for (JsonNode s : bounded(n, "sensors", MAX_SENSORS, strict)) {
            String kind = text(s, "kind", strict);
            Snapshot.SensorKind k = "temperature".equals(kind) ? Snapshot.SensorKind.TEMPERATURE
                    : "fan".equals(kind) ? Snapshot.SensorKind.FAN : null;
            if (k == null) {
                if (strict) throw new Invalid("sensors[].kind must be temperature or fan");
                continue;
            }
            double value = optional(s, "value", strict);
            if (Double.isNaN(value)) {
                if (strict) throw new Invalid("sensors[].value must be a number");
                continue;
            }
            out.add(new Snapshot.Sensor(text(s, "chip", strict), text(s, "label", strict), k, value,
                    optional(s, "max", strict), optional(s, "critical", strict)));
        }
        return List.copyOf(out);
    }

    private static List<Snapshot.Gpu> gpus(JsonNode n, boolean strict) {
        if (absent(n, "gpus", strict)) return null;
        List<Snapshot.Gpu> out = new ArrayList<>();
        for (JsonNode g : bounded(n, "gpus", MAX_GPUS, strict)) {
            Snapshot.GpuVendor vendor = null;
            String v = text(g, "vendor", strict);
            for (Snapshot.GpuVendor candidate : Snapshot.GpuVendor.values()) if (candidate.json().equals(v)) vendor = candidate;
            if (vendor == null) {
                if (strict) throw new Invalid("gpus[].vendor must be one of nvidia, amd, intel, other");
                vendor = Snapshot.GpuVendor.OTHER;
            }
            double utilization = optional(g, "utilization", strict);
            if (strict && utilization > 100.0001) throw new Invalid("gpus[].utilization must be a percentage (0–100)");
            out.add(new Snapshot.Gpu(text(g, "id", strict), text(g, "name", strict), vendor, utilization,
                    count(g, "memoryUsed", strict), count(g, "memoryTotal", strict), optional(g, "temperature", strict),
                    optional(g, "power", strict)));
        }
        return List.copyOf(out);
    }

    private static Snapshot.DiskHealth diskHealth(JsonNode n, boolean strict) {
        if (absent(n, "diskHealth", strict)) return null;
        if (!n.isObject()) {
            if (strict) throw new Invalid("diskHealth must be an object");
            return null;
        }
        Snapshot.SmartUnavailable unavailable = null;
        JsonNode u = n.get("unavailable");
        if (u != null && !u.isNull()) {
            for (Snapshot.SmartUnavailable candidate : Snapshot.SmartUnavailable.values()) {
                if (candidate.json().equals(u.asString(""))) unavailable = candidate;
            }
            if (unavailable == null && strict) throw new Invalid("diskHealth.unavailable must be no-smartctl, no-permission or no-devices");
        }
        List<Snapshot.DiskHealth.Drive> drives = new ArrayList<>();
        for (JsonNode d : bounded(n.get("drives"), "diskHealth.drives", MAX_DRIVES, strict)) {
            Snapshot.SmartHealth health = Snapshot.SmartHealth.UNKNOWN;
            String h = text(d, "health", strict);
            boolean known = false;
            for (Snapshot.SmartHealth candidate : Snapshot.SmartHealth.values()) {
                if (candidate.json().equals(h)) {
                    health = candidate;
                    known = true;
                }
            }
            if (!known && strict) throw new Invalid("diskHealth.drives[].health must be passed, failed or unknown");
            JsonNode standby = d.get("standby");
            drives.add(new Snapshot.DiskHealth.Drive(text(d, "device", strict), text(d, "model", strict), text(d, "protocol", strict),
                    health, standby != null && standby.asBoolean(false), optional(d, "temperature", strict),
                    count(d, "powerOnHours", strict), count(d, "reallocated", strict), count(d, "pending", strict),
                    optional(d, "percentageUsed", strict), count(d, "mediaErrors", strict)));
        }
        long checkedAt = count(n, "checkedAt", strict);
        return new Snapshot.DiskHealth(unavailable, Math.max(0, checkedAt), List.copyOf(drives));
    }

    private static Snapshot.Services services(JsonNode n, boolean strict) {
        if (absent(n, "services", strict)) return null;
        if (!n.isObject()) {
            if (strict) throw new Invalid("services must be an object");
            return null;
        }
        List<String> failed = new ArrayList<>();
        for (JsonNode f : bounded(n.get("failedUnits"), "services.failedUnits", Snapshot.Services.MAX_NAMES, strict)) {
            if (f.isString()) failed.add(cut(f.asString()));
            else if (strict) throw new Invalid("services.failedUnits[] must be a string");
        }
        List<Snapshot.Services.Unit> watched = new ArrayList<>();
        for (JsonNode w : bounded(n.get("watched"), "services.watched", Snapshot.Services.MAX_NAMES, strict)) {
            watched.add(new Snapshot.Services.Unit(text(w, "name", strict), text(w, "activeState", strict), text(w, "subState", strict)));
        }
        return new Snapshot.Services(small(n, "total", strict), small(n, "active", strict), small(n, "inactive", strict),
                small(n, "failed", strict), small(n, "transitioning", strict), List.copyOf(failed), List.copyOf(watched));
    }

    private static boolean absent(JsonNode n, String what, boolean strict) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    private static Iterable<JsonNode> bounded(JsonNode n, String what, int max, boolean strict) {
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) {
            if (strict) throw new Invalid(what + " must be an array");
            return List.of();
        }
        if (n.size() > max) {
            if (strict) throw new Invalid(what + " has more than " + max + " entries");
            List<JsonNode> first = new ArrayList<>(max);
            for (int i = 0; i < max; i++) first.add(n.get(i));
            return first;
        }
        List<JsonNode> objects = new ArrayList<>(n.size());
        for (JsonNode item : n) {
            if (item.isObject() || item.isString()) objects.add(item);
            else if (strict) throw new Invalid(what + "[] must be an object");
        }
        return objects;
    }

    private static String text(JsonNode parent, String field, boolean strict) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) return "";
        if (!v.isString()) {
            if (strict) throw new Invalid(field + " must be a string");
            return "";
        }
        return cut(v.asString());
    }

    private static String cut(String s) {
        return s.length() > MAX_NAME ? s.substring(0, MAX_NAME) : s;
    }

    /** An optional non-negative whole number, −1 when absent. */
    private static long count(JsonNode parent, String field, boolean strict) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) return -1;
        double d = v.isNumber() ? v.asDouble() : Double.NaN;
        if (!(d >= 0) || d > 9.2e18) {
            if (strict) throw new Invalid(field + " must be a non-negative number");
            return -1;
        }
        return v.asLong();
    }

    private static int small(JsonNode parent, String field, boolean strict) {
        long v = count(parent, field, strict);
        return (int) Math.max(0, Math.min(v, Integer.MAX_VALUE));
    }
}
