package dev.flick.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * systemd units by state from {@code systemctl list-units --all --output=json --no-pager} (systemd 246+; each unit
 * an object with unit, load, active, sub), else from the plain table ({@code --plain --no-legend}: "unit load active
 * sub description" per line, a failed unit's line led by "●" on some versions).
 */
final class SystemdUnits {

    static final List<String> JSON = List.of("systemctl", "list-units", "--all", "--output=json", "--no-pager");
    static final List<String> PLAIN = List.of("systemctl", "list-units", "--all", "--plain", "--no-legend", "--no-pager");

    private SystemdUnits() {}

    record Unit(String name, String active, String sub) {}

    static List<Unit> parseJson(String json) {
        List<Unit> units = new ArrayList<>();
        for (Object u : listOf(JsonReader.parse(json))) {
            String name = JsonReader.string(u, "unit");
            if (name != null) units.add(new Unit(name, orEmpty(JsonReader.string(u, "active")), orEmpty(JsonReader.string(u, "sub"))));
        }
        return units;
    }

    static List<Unit> parsePlain(String text) {
        List<Unit> units = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().replace("●", "").replace("*", " ").strip().split("\\s+");
            if (f.length >= 4 && f[0].contains(".")) units.add(new Unit(f[0], f[2], f[3]));
        }
        return units;
    }

    /** Counts, the failed ones by name, and each watched unit's state ("not-found" when it is not loaded). */
    static Snapshot.Services summarize(List<Unit> units, Set<String> watched) {
        int active = 0, inactive = 0, failed = 0, transitioning = 0;
        List<String> failedUnits = new ArrayList<>();
        for (Unit u : units) {
            switch (u.active()) {
                case "active" -> active++;
                case "inactive" -> inactive++;
                case "failed" -> {
                    failed++;
                    if (failedUnits.size() < Snapshot.Services.MAX_NAMES) failedUnits.add(u.name());
                }
                default -> transitioning++;
            }
        }
        List<Snapshot.Services.Unit> watchedUnits = new ArrayList<>();
        List<String> names = new ArrayList<>(watched);
        java.util.Collections.sort(names);
        for (String name : names) {
            Unit found = null;
            for (Unit u : units) if (u.name().equals(name)) found = u;
            watchedUnits.add(found == null ? new Snapshot.Services.Unit(name, "not-found", "")
                    : new Snapshot.Services.Unit(name, found.active(), found.sub()));
        }
        return new Snapshot.Services(units.size(), active, inactive, failed, transitioning, failedUnits, watchedUnits);
    }

    private static List<?> listOf(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
