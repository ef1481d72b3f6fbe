package dev.flick.collector;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local host's inventory (issue 12): sensors and DRM GPUs read from sysfs with every sample (a few dozen small
 * files), and the slow probes — nvidia-smi, smartctl, systemctl — run by one daemon thread on their own schedules,
 * so a slow or hung program never delays a sample. {@link #attach} adds the latest of each to a snapshot.
 */
public final class Inventory implements AutoCloseable {

    /** sysfs is listed again every this many samples (a hot-plugged GPU or drive shows within a minute at 1 s). */
    private static final int RELIST_EVERY = 60;
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    /** Programs from PATH, through {@link #runProgram}. */
    static final Commands PROGRAMS = new Commands() {
        @Override
        public Result run(List<String> command, Duration timeout) {
            return runProgram(command, timeout);
        }
    };

    /** Runs a program on the host: its exit status and standard output, or null when it is not installed. */
    interface Commands {
        Result run(List<String> command, Duration timeout);

        record Result(int exit, String out) {}
    }

    private final String root;
    private final Commands commands;
    private final InventorySettings settings;
    private final ProcReader reader = new ProcReader();
    private List<String> paths = List.of();
    private Map<String, String> statics = Map.of();
    private List<String> readings = List.of();
    private int samples;
    private Thread thread;
    private volatile boolean closed;

    private volatile List<Snapshot.Gpu> nvidia;
    private volatile Snapshot.DiskHealth diskHealth;
    private volatile Snapshot.Services services;
    private long nextGpu, nextSmart, nextServices;
    private boolean noNvidiaSmi, noSystemd;
    /** NVML where the NVIDIA driver is installed (asked first), else null. */
    private final Nvml nvml;

    /** The real host: sysfs under /, programs from PATH, the slow probes on their own thread. */
    public Inventory(InventorySettings settings) {
        this(Path.of("/"), PROGRAMS, settings, Nvml.open());
        // Classes, not lambdas, on the agent's path: each lambda spins a class at run time (docs/PERFORMANCE.md).
        thread = new Thread(null, new Runnable() {
            @Override
            public void run() {
                probeLoop();
            }
        }, "flick-inventory", 256 * 1024);
        thread.setDaemon(true);
        thread.start();
    }

    /** For tests: sysfs under {@code root}, programs through {@code commands}; call {@link #probe} to run due probes. */
    Inventory(Path root, Commands commands, InventorySettings settings) {
        this(root, commands, settings, null);
    }

    /** For tests: as above, NVIDIA GPUs read through that NVML first. */
    Inventory(Path root, Commands commands, InventorySettings settings, Nvml nvml) {
        this.nvml = nvml;
        String r = root.toString();
        this.root = r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
        this.commands = commands;
        this.settings = settings;
    }

    /** The snapshot with the latest sensors, GPUs, disk health and services; sections this host lacks stay null. */
    public Snapshot attach(Snapshot s) {
        Map<String, String> files = readSysfs();
        List<Snapshot.Sensor> sensors = null;
        boolean hasSensorDirs = false;
        for (String p : paths) hasSensorDirs |= p.startsWith(SysfsInventory.HWMON) || p.startsWith(SysfsInventory.THERMAL);
        if (hasSensorDirs) sensors = SysfsInventory.sensors(files);
        List<Snapshot.Gpu> fromNvidia = nvidia;
        List<Snapshot.Gpu> gpus = new ArrayList<>(fromNvidia == null ? List.of() : fromNvidia);
        gpus.addAll(SysfsInventory.gpus(files, gpus.isEmpty()));
        return new Snapshot(s.serverId(), s.ts(), s.cpu(), s.memory(), s.disks(), s.diskIo(), s.network(), s.processes(),
                s.containers(), sensors, gpus.isEmpty() ? null : List.copyOf(gpus), diskHealth, services);
    }

    /** Runs each slow probe that is due at {@code now} (epoch ms). */
    void probe(long now) {
        if (now >= nextGpu && (nvml != null || !noNvidiaSmi)) {
            nextGpu = now + settings.gpuEvery().toMillis();
            List<Snapshot.Gpu> fromNvml = nvml == null ? null : nvml.read();
            if (fromNvml != null) {
                nvidia = fromNvml;
            } else if (!noNvidiaSmi) {
                Commands.Result r = commands.run(NvidiaSmi.COMMAND, COMMAND_TIMEOUT);
                if (r == null) noNvidiaSmi = true; // not installed: never asked again
                nvidia = r == null || r.exit() != 0 ? null : NvidiaSmi.parse(r.out());
            }
        }
        if (!noSystemd && now >= nextServices) {
            nextServices = now + settings.servicesEvery().toMillis();
            services = services(now);
        }
        if (now >= nextSmart) {
            nextSmart = now + settings.smartEvery().toMillis();
            diskHealth = diskHealth(commands, now);
        }
    }

    private Snapshot.Services services(long now) {
        Commands.Result r = commands.run(SystemdUnits.JSON, COMMAND_TIMEOUT);
        if (r == null) {
            noSystemd = true;
            return null;
        }
        try {
            if (r.exit() == 0 && r.out().strip().startsWith("[")) {
                return SystemdUnits.summarize(SystemdUnits.parseJson(r.out()), settings.watchedUnits());
            }
            Commands.Result plain = commands.run(SystemdUnits.PLAIN, COMMAND_TIMEOUT);
            if (plain == null || plain.exit() != 0) return null; // not booted with systemd, or no bus: not collected
            return SystemdUnits.summarize(SystemdUnits.parsePlain(plain.out()), settings.watchedUnits());
        } catch (MalformedSampleException e) {
            return null;
        }
    }

    /** One S.M.A.R.T. round: the scan, then each device without waking it. Shared with nothing but tests. */
    static Snapshot.DiskHealth diskHealth(Commands commands, long now) {
        Commands.Result scan = commands.run(Smartctl.SCAN, COMMAND_TIMEOUT);
        if (scan == null) return new Snapshot.DiskHealth(Snapshot.SmartUnavailable.NO_SMARTCTL, now, List.of());
        List<Smartctl.Device> devices;
        try {
            if (Smartctl.permissionDenied(scan.out())) {
                return new Snapshot.DiskHealth(Snapshot.SmartUnavailable.NO_PERMISSION, now, List.of());
            }
            devices = Smartctl.scan(scan.out());
        } catch (MalformedSampleException e) {
            return new Snapshot.DiskHealth(Snapshot.SmartUnavailable.NO_DEVICES, now, List.of());
        }
        if (devices.isEmpty()) return new Snapshot.DiskHealth(Snapshot.SmartUnavailable.NO_DEVICES, now, List.of());
        List<Snapshot.DiskHealth.Drive> drives = new ArrayList<>();
        int refused = 0;
        for (Smartctl.Device d : devices) {
            Commands.Result r = commands.run(d.readCommand(), COMMAND_TIMEOUT);
            if (r == null) continue;
            try {
                Snapshot.DiskHealth.Drive drive = Smartctl.drive(d.name(), r.out());
                if (!drive.standby() && (r.exit() & Smartctl.OPEN_FAILED) != 0 && drive.health() == Snapshot.SmartHealth.UNKNOWN
                        && Smartctl.permissionDenied(r.out())) {
                    refused++;
                    continue;
                }
                drives.add(drive);
            } catch (MalformedSampleException e) {
                // Output that is not smartctl's JSON (a wrapper script, a crash): this drive is left out.
            }
        }
        if (drives.isEmpty() && refused > 0) return new Snapshot.DiskHealth(Snapshot.SmartUnavailable.NO_PERMISSION, now, List.of());
        return new Snapshot.DiskHealth(null, now, List.copyOf(drives));
    }

    /**
     * Names, labels, thresholds and vendors are read when sysfs is listed; only the readings (inputs, averages, busy
     * percent, VRAM used, a zone's temp) every sample: about a third of the files.
     */
    private Map<String, String> readSysfs() {
        if (samples++ % RELIST_EVERY == 0) {
            paths = listSysfs();
            Map<String, String> fixed = new HashMap<>();
            List<String> changing = new ArrayList<>();
            for (String p : paths) {
                if (isReading(p)) {
                    changing.add(p);
                } else {
                    String text = reader.read(root + p, 4096);
                    if (text != null) fixed.put(p, text.strip());
                }
            }
            statics = fixed;
            readings = List.copyOf(changing);
        }
        Map<String, String> files = new HashMap<>(statics);
        for (String p : readings) {
            String text = reader.read(root + p, 4096);
            if (text != null) files.put(p, text.strip());
        }
        return files;
    }

    private static boolean isReading(String path) {
        return path.endsWith("_input") || path.endsWith("_average") || path.endsWith("/temp")
                || path.endsWith("/gpu_busy_percent") || path.endsWith("/mem_info_vram_used");
    }

    /** The sysfs files the readers use, as absolute host paths; symlinked class entries are followed. */
    private List<String> listSysfs() {
        List<String> found = new ArrayList<>();
        listDir(SysfsInventory.HWMON, found);
        listDir(SysfsInventory.THERMAL, found);
        String[] cards = new File(root + SysfsInventory.DRM).list();
        if (cards != null) {
            for (String card : cards) {
                if (!SysfsInventory.isCard(card)) continue;
                String device = SysfsInventory.DRM + card + "/device/";
                addWanted(device, found);
                String[] mons = new File(root + device + "hwmon").list();
                if (mons != null) for (String m : mons) addWanted(device + "hwmon/" + m + "/", found);
            }
        }
        return List.copyOf(found);
    }

    private void listDir(String classDir, List<String> found) {
        String[] entries = new File(root + classDir).list();
        if (entries == null) return;
        for (String e : entries) addWanted(classDir + e + "/", found);
    }

    private void addWanted(String dir, List<String> found) {
        String[] files = new File(root + dir).list();
        if (files == null) return;
        for (String f : files) if (SysfsInventory.wanted(dir, f)) found.add(dir + f);
    }

    private void probeLoop() {
        while (!closed) {
            try {
                probe(System.currentTimeMillis());
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A probe that failed in an unforeseen way is tried again on its schedule, never in a tight loop.
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) thread.interrupt();
        if (nvml != null) nvml.close();
    }

    /**
     * A program from PATH with a deadline; standard error is discarded, output capped at 4 MiB. Output goes to a
     * temporary file rather than a pipe, so a program that hangs while writing is killed at the deadline.
     */
    static Commands.Result runProgram(List<String> command, Duration timeout) {
        File out;
        try {
            out = File.createTempFile("flick-probe", ".out");
        } catch (IOException e) {
            return new Commands.Result(-1, "");
        }
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectOutput(out).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            } catch (IOException e) {
                return null; // not installed (or not executable): the caller's "not available"
            }
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return new Commands.Result(-1, "");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                return new Commands.Result(-1, "");
            }
            try (InputStream in = new java.io.FileInputStream(out)) {
                return new Commands.Result(p.exitValue(), new String(in.readNBytes(4 << 20), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return new Commands.Result(-1, "");
            }
        } finally {
            out.delete();
        }
    }
}
