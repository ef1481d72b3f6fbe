package dev.flick.collector;

import java.util.ArrayList;
import java.util.List;

/**
 * S.M.A.R.T. through smartctl's JSON output (smartmontools 7+): {@code smartctl --scan -j} lists the devices,
 * {@code smartctl -a -j -n standby -d TYPE DEVICE} reads one without waking it. A disk in standby makes smartctl skip
 * the read and exit with status 2 (bit 1, "device open failed or in a low-power mode") and a message saying so; bit 3
 * (8) means "SMART status check returned DISK FAILING".
 */
final class Smartctl {

    static final List<String> SCAN = List.of("smartctl", "--scan", "-j");
    static final int OPEN_FAILED = 2;
    static final int DISK_FAILING = 8;
    /** smartctl's own attribute ids: Reallocated_Sector_Ct, Current_Pending_Sector. */
    static final int REALLOCATED = 5, PENDING = 197;

    private Smartctl() {}

    /** One scanned device: its name and the -d type smartctl chose. */
    record Device(String name, String type) {
        List<String> readCommand() {
            return List.of("smartctl", "-a", "-j", "-n", "standby", "-d", type, name);
        }
    }

    static List<Device> scan(String json) {
        List<Device> devices = new ArrayList<>();
        for (Object d : JsonReader.list(JsonReader.parse(json), "devices")) {
            String name = JsonReader.string(d, "name");
            String type = JsonReader.string(d, "type");
            if (name != null && type != null && name.startsWith("/dev/") && type.matches("[A-Za-z0-9_,+-]{1,64}")) {
                devices.add(new Device(name, type));
            }
        }
        return devices;
    }

    /** Whether a scan was refused for want of privileges (devices are listed only for root on most systems). */
    static boolean permissionDenied(String json) {
        for (Object m : JsonReader.list(JsonReader.parse(json), "smartctl", "messages")) {
            String s = JsonReader.string(m, "string");
            if (s != null && s.toLowerCase(java.util.Locale.ROOT).contains("permission denied")) return true;
        }
        return false;
    }

    /** A drive from {@code smartctl -a -j} output (its exit status inside, at smartctl.exit_status). */
    static Snapshot.DiskHealth.Drive drive(String device, String json) {
        Object root = JsonReader.parse(json);
        long exit = JsonReader.whole(root, "smartctl", "exit_status");
        String model = JsonReader.string(root, "model_name");
        if (model == null) model = JsonReader.string(root, "scsi_model_name");
        String protocol = JsonReader.string(root, "device", "protocol");
        boolean standby = exit >= 0 && (exit & OPEN_FAILED) != 0 && mentions(root, "standby", "sleep");
        Object passed = JsonReader.at(root, "smart_status", "passed");
        Snapshot.SmartHealth health = passed instanceof Boolean b ? (b ? Snapshot.SmartHealth.PASSED : Snapshot.SmartHealth.FAILED)
                : exit >= 0 && (exit & DISK_FAILING) != 0 ? Snapshot.SmartHealth.FAILED : Snapshot.SmartHealth.UNKNOWN;
        long reallocated = -1, pending = -1;
        for (Object a : JsonReader.list(root, "ata_smart_attributes", "table")) {
            long id = JsonReader.whole(a, "id");
            if (id == REALLOCATED) reallocated = JsonReader.whole(a, "raw", "value");
            if (id == PENDING) pending = JsonReader.whole(a, "raw", "value");
        }
        if (reallocated < 0) reallocated = JsonReader.whole(root, "scsi_grown_defect_list");
        double used = JsonReader.number(root, "nvme_smart_health_information_log", "percentage_used");
        long mediaErrors = JsonReader.whole(root, "nvme_smart_health_information_log", "media_errors");
        return new Snapshot.DiskHealth.Drive(device, model == null ? "" : model, protocol == null ? "" : protocol, health,
                standby, JsonReader.number(root, "temperature", "current"), JsonReader.whole(root, "power_on_time", "hours"),
                reallocated, pending, used, mediaErrors);
    }

    private static boolean mentions(Object root, String... words) {
        for (Object m : JsonReader.list(root, "smartctl", "messages")) {
            String s = JsonReader.string(m, "string");
            if (s == null) continue;
            s = s.toLowerCase(java.util.Locale.ROOT);
            for (String w : words) if (s.contains(w)) return true;
        }
        return false;
    }
}
