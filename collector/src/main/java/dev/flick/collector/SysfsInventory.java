package dev.flick.collector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Temperatures, fans and GPUs from sysfs files, given as path → content (absolute paths as on the host, e.g.
 * {@code /sys/class/hwmon/hwmon0/temp1_input}): the local collector reads them from disk, the SSH sampler prints them
 * with bash builtins, and both hand the same map here (docs/snapshot.md "Sensors", "GPUs").
 *
 * <ul>
 * <li>hwmon: {@code name}, {@code tempN_input} (m°C), {@code tempN_label}, {@code tempN_max}, {@code tempN_crit},
 * {@code fanN_input} (RPM), {@code fanN_label}, {@code fanN_max}. NVMe ({@code nvme}) and SATA ({@code drivetemp})
 * drives are hwmon chips like any other. Chips that share a name (two NVMe drives) are told apart by their hwmon
 * directory: {@code nvme@hwmon2}.
 * <li>thermal zones, only when no hwmon chip gave a temperature: {@code type}, {@code temp},
 * {@code trip_point_N_type} / {@code _temp} ("critical" and "hot" become critical and max).
 * <li>DRM cards ({@code /sys/class/drm/cardN/device}): {@code vendor}, {@code gpu_busy_percent},
 * {@code mem_info_vram_used}, {@code mem_info_vram_total}, and its hwmon's {@code temp1_input} and
 * {@code power1_average} (or {@code power1_input}, µW).
 * </ul>
 */
final class SysfsInventory {

    static final String HWMON = "/sys/class/hwmon/";
    static final String THERMAL = "/sys/class/thermal/";
    static final String DRM = "/sys/class/drm/";

    private SysfsInventory() {}

    /** Which files of a directory the readers use; everything else in sysfs is left unread. */
    static boolean wanted(String dir, String file) {
        if (dir.startsWith(HWMON) || dir.contains("/device/hwmon/")) {
            return file.equals("name") || (file.startsWith("temp") || file.startsWith("fan") || file.startsWith("power"))
                    && (file.endsWith("_input") || file.endsWith("_label") || file.endsWith("_max") || file.endsWith("_crit")
                    || file.endsWith("_average"));
        }
        if (dir.startsWith(THERMAL)) return file.equals("type") || file.equals("temp") || file.startsWith("trip_point_");
        if (dir.startsWith(DRM)) {
            return file.equals("vendor") || file.equals("gpu_busy_percent") || file.equals("mem_info_vram_used")
                    || file.equals("mem_info_vram_total");
        }
        return false;
    }

    /** Sensors in a stable order: hwmon directories by number, then temperatures before fans, by index. */
    static List<Snapshot.Sensor> sensors(Map<String, String> files) {
        Map<String, Map<String, String>> chips = directories(files, HWMON);
        Map<String, Integer> nameCount = new HashMap<>();
        for (Map<String, String> chip : chips.values()) increment(nameCount, chipName(chip));
        List<Snapshot.Sensor> sensors = new ArrayList<>();
        boolean temperature = false;
        for (Map.Entry<String, Map<String, String>> e : chips.entrySet()) {
            Map<String, String> chip = e.getValue();
            String name = chipName(chip);
            String key = nameCount.get(name) > 1 ? name + "@" + e.getKey() : name;
            for (String prefix : new String[] {"temp", "fan"}) {
                boolean temp = prefix.equals("temp");
                for (int index : indexes(chip, prefix)) {
                    double raw = number(chip.get(prefix + index + "_input"));
                    if (Double.isNaN(raw)) continue;
                    String label = chip.get(prefix + index + "_label");
                    label = label == null || label.isBlank() ? prefix + index : label.strip();
                    double scale = temp ? 1000.0 : 1.0;
                    sensors.add(new Snapshot.Sensor(key, label, temp ? Snapshot.SensorKind.TEMPERATURE : Snapshot.SensorKind.FAN,
                            raw / scale, positive(chip.get(prefix + index + "_max")) / scale,
                            positive(chip.get(prefix + index + "_crit")) / scale));
                    temperature |= temp;
                }
            }
        }
        if (!temperature) sensors.addAll(thermalZones(files));
        return sensors;
    }

    private static List<Snapshot.Sensor> thermalZones(Map<String, String> files) {
        List<Snapshot.Sensor> sensors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Map.Entry<String, Map<String, String>> e : directories(files, THERMAL).entrySet()) {
            if (!e.getKey().startsWith("thermal_zone")) continue;
            Map<String, String> zone = e.getValue();
            double milli = number(zone.get("temp"));
            if (Double.isNaN(milli)) continue;
            String type = zone.getOrDefault("type", e.getKey()).strip();
            int n = increment(seen, type);
            double critical = Double.NaN, max = Double.NaN;
            for (int index : indexes(zone, "trip_point_")) {
                String kind = zone.getOrDefault("trip_point_" + index + "_type", "").strip();
                double t = positive(zone.get("trip_point_" + index + "_temp")) / 1000;
                if (kind.equals("critical") && Double.isNaN(critical)) critical = t;
                if (kind.equals("hot") && Double.isNaN(max)) max = t;
            }
            sensors.add(new Snapshot.Sensor("thermal", n > 1 ? type + " " + n : type, Snapshot.SensorKind.TEMPERATURE,
                    milli / 1000, max, critical));
        }
        return sensors;
    }

    /** GPUs of DRM cards; NVIDIA cards only when {@code withNvidia} (nvidia-smi is the better source for those). */
    static List<Snapshot.Gpu> gpus(Map<String, String> files, boolean withNvidia) {
        List<Snapshot.Gpu> gpus = new ArrayList<>();
        java.util.TreeSet<String> cards = new java.util.TreeSet<>(NATURALLY);
        for (String path : files.keySet()) {
            int slash = path.startsWith(DRM) ? path.indexOf('/', DRM.length()) : -1;
            if (slash > 0 && isCard(path.substring(DRM.length(), slash))) cards.add(path.substring(DRM.length(), slash));
        }
        for (String card : cards) {
            String base = DRM + card + "/device/";
            String vendorId = files.get(base + "vendor");
            if (vendorId == null) continue;
            Snapshot.GpuVendor vendor = switch (vendorId.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "0x1002" -> Snapshot.GpuVendor.AMD;
                case "0x8086" -> Snapshot.GpuVendor.INTEL;
                case "0x10de" -> Snapshot.GpuVendor.NVIDIA;
                default -> Snapshot.GpuVendor.OTHER;
            };
            if (vendor == Snapshot.GpuVendor.NVIDIA && !withNvidia) continue;
            double temperature = Double.NaN, power = Double.NaN;
            for (Map.Entry<String, Map<String, String>> h : directories(files, base + "hwmon/").entrySet()) {
                Map<String, String> mon = h.getValue();
                if (Double.isNaN(temperature)) temperature = number(mon.get("temp1_input")) / 1000;
                double microwatts = number(mon.getOrDefault("power1_average", mon.get("power1_input")));
                if (Double.isNaN(power)) power = microwatts / 1e6;
            }
            long total = (long) positive(files.get(base + "mem_info_vram_total"));
            long used = (long) positive(files.get(base + "mem_info_vram_used"));
            gpus.add(new Snapshot.Gpu(card, vendor.json().toUpperCase(java.util.Locale.ROOT) + " " + card, vendor,
                    number(files.get(base + "gpu_busy_percent")), total > 0 || used > 0 ? used : -1, total > 0 ? total : -1,
                    temperature, power));
        }
        return gpus;
    }

    static boolean isCard(String name) {
        if (!name.startsWith("card") || name.length() == 4) return false;
        for (int i = 4; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) return false;
        return true;
    }

    /** Directory name (the part after prefix up to the next slash) → file name → content; only direct children. */
    private static Map<String, Map<String, String>> directories(Map<String, String> files, String prefix) {
        Map<String, Map<String, String>> dirs = new TreeMap<>(NATURALLY);
        for (Map.Entry<String, String> f : files.entrySet()) {
            String path = f.getKey();
            if (!path.startsWith(prefix)) continue;
            int slash = path.indexOf('/', prefix.length());
            if (slash < 0 || path.indexOf('/', slash + 1) >= 0) continue;
            String name = path.substring(prefix.length(), slash);
            Map<String, String> dir = dirs.get(name);
            if (dir == null) dirs.put(name, dir = new HashMap<>());
            dir.put(path.substring(slash + 1), f.getValue());
        }
        return dirs;
    }

    /** A class rather than a method reference: the agent avoids lambdas (each spins a class at run time). */
    private static final java.util.Comparator<String> NATURALLY = new java.util.Comparator<String>() {
        @Override
        public int compare(String a, String b) {
            return naturally(a, b);
        }
    };

    private static int increment(Map<String, Integer> counts, String key) {
        Integer n = counts.get(key);
        int next = n == null ? 1 : n + 1;
        counts.put(key, next);
        return next;
    }

    /** hwmon2 before hwmon10. */
    static int naturally(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i) && !Character.isDigit(a.charAt(i))) i++;
        String ra = a.substring(i), rb = b.substring(i);
        if (!ra.isEmpty() && !rb.isEmpty() && Character.isDigit(ra.charAt(0)) && Character.isDigit(rb.charAt(0))) {
            int na = leading(ra), nb = leading(rb);
            if (na != nb) return Integer.compare(na, nb);
        }
        return a.compareTo(b);
    }

    private static int leading(String s) {
        int n = 0;
        for (int i = 0; i < s.length() && i < 9 && Character.isDigit(s.charAt(i)); i++) n = n * 10 + (s.charAt(i) - '0');
        return n;
    }

    private static String chipName(Map<String, String> chip) {
        String name = chip.get("name");
        return name == null || name.isBlank() ? "hwmon" : name.strip();
    }

    /** The N of prefix + N + "_..." files, ascending. */
    private static List<Integer> indexes(Map<String, String> dir, String prefix) {
        List<Integer> out = new ArrayList<>();
        for (String file : dir.keySet()) {
            if (!file.startsWith(prefix)) continue;
            int end = prefix.length();
            while (end < file.length() && Character.isDigit(file.charAt(end))) end++;
            if (end == prefix.length() || end - prefix.length() > 6 || end >= file.length() || file.charAt(end) != '_') continue;
            int n = Integer.parseInt(file.substring(prefix.length(), end));
            if (!out.contains(n)) out.add(n);
        }
        out.sort(null);
        return out;
    }

    static double number(String s) {
        if (s == null) return Double.NaN;
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** A threshold: the kernel gives 0 or nonsense where it has none. */
    private static double positive(String s) {
        double v = number(s);
        return v > 0 ? v : Double.NaN;
    }
}
