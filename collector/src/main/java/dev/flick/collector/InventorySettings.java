package dev.flick.collector;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the host-inventory collectors (sensors, GPUs, S.M.A.R.T., systemd units) do and how often; the same names on
 * the hub, the agent and for SSH targets (docs/snapshot.md).
 *
 * @param enabled       FLICK_INVENTORY (default true): false sends none of these sections
 * @param smartEvery    FLICK_SMART_INTERVAL in seconds (default 900): smartctl never runs more often
 * @param servicesEvery FLICK_SERVICES_INTERVAL in seconds (default 30)
 * @param gpuEvery      FLICK_GPU_INTERVAL in seconds (default 5): how often nvidia-smi runs
 * @param watchedUnits  FLICK_WATCHED_UNITS, comma-separated unit names whose state is reported on its own
 */
public record InventorySettings(boolean enabled, Duration smartEvery, Duration servicesEvery, Duration gpuEvery,
                                Set<String> watchedUnits) {

    public static final InventorySettings DEFAULTS = new InventorySettings(true, Duration.ofMinutes(15),
            Duration.ofSeconds(30), Duration.ofSeconds(5), Set.of());
    public static final InventorySettings OFF = new InventorySettings(false, DEFAULTS.smartEvery, DEFAULTS.servicesEvery,
            DEFAULTS.gpuEvery, Set.of());

    public InventorySettings {
        watchedUnits = Set.copyOf(watchedUnits);
        if (smartEvery.toSeconds() < 60) throw new IllegalArgumentException("FLICK_SMART_INTERVAL must be at least 60 seconds");
        if (servicesEvery.toSeconds() < 1) throw new IllegalArgumentException("FLICK_SERVICES_INTERVAL must be at least 1 second");
        if (gpuEvery.toSeconds() < 1) throw new IllegalArgumentException("FLICK_GPU_INTERVAL must be at least 1 second");
    }

    /** From environment variables; an unreadable number is refused with the variable's name. */
    public static InventorySettings fromEnvironment(Map<String, String> env) {
        boolean enabled = !"false".equalsIgnoreCase(env.getOrDefault("FLICK_INVENTORY", "true").strip());
        return new InventorySettings(enabled, seconds(env, "FLICK_SMART_INTERVAL", DEFAULTS.smartEvery),
                seconds(env, "FLICK_SERVICES_INTERVAL", DEFAULTS.servicesEvery),
                seconds(env, "FLICK_GPU_INTERVAL", DEFAULTS.gpuEvery), units(env.getOrDefault("FLICK_WATCHED_UNITS", "")));
    }

    /** Unit names from a comma- or space-separated list; names with anything but systemd's unit characters are dropped. */
    public static Set<String> units(String list) {
        Set<String> units = new LinkedHashSet<>();
        for (String u : list.split("[,\\s]+")) {
            if (u.matches("[A-Za-z0-9:_.@\\\\-]{1,256}")) units.add(u);
        }
        return units;
    }

    private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Duration.ofSeconds(Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of seconds");
        }
    }
}
