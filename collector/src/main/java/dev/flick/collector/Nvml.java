package dev.flick.collector;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * NVIDIA GPUs through NVML ({@code libnvidia-ml.so.1}, which the driver installs), called with the JNA that OSHI
 * already brings: one call per value, no process started, so it costs microseconds where {@code nvidia-smi} costs a
 * fork and ~50 ms of CPU. {@link #open} answers null when the library is not on the host (no NVIDIA driver), and the
 * caller falls back to {@link NvidiaSmi}. Only documented NVML entry points are used (the {@code _v2} ones where the
 * API has them); a value a board does not support ({@code NVML_ERROR_NOT_SUPPORTED}) is left unknown.
 */
final class Nvml implements AutoCloseable {

    /** Where distributions put the driver's library; FLICK_NVML_LIBRARY names another file. */
    static final List<String> LIBRARIES = List.of("/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1", "/usr/lib64/libnvidia-ml.so.1",
            "/usr/lib/libnvidia-ml.so.1", "/usr/lib/aarch64-linux-gnu/libnvidia-ml.so.1", "/usr/lib/wsl/lib/libnvidia-ml.so.1");

    private static final int SUCCESS = 0;
    private static final int TEMPERATURE_GPU = 0;
    private static final int NAME_LENGTH = 96;

    /** The NVML entry points used, as nvml.h declares them. */
    interface Api extends Library {
        int nvmlInit_v2();

        int nvmlShutdown();

        int nvmlDeviceGetCount_v2(IntByReference count);

        int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

        int nvmlDeviceGetName(Pointer device, byte[] name, int length);

        /** nvmlUtilization_t: {unsigned int gpu; unsigned int memory;}, percent. */
        int nvmlDeviceGetUtilizationRates(Pointer device, int[] utilization);

        /** nvmlMemory_t: {unsigned long long total; free; used;}, bytes. */
        int nvmlDeviceGetMemoryInfo(Pointer device, long[] memory);

        int nvmlDeviceGetTemperature(Pointer device, int sensor, IntByReference celsius);

        /** Milliwatts. */
        int nvmlDeviceGetPowerUsage(Pointer device, IntByReference milliwatts);
    }

    private final Api lib;

    private Nvml(Api lib) {
        this.lib = lib;
    }

    /** NVML of this host, initialised, or null when the driver's library is not installed or refuses to start. */
    static Nvml open() {
        String named = System.getenv("FLICK_NVML_LIBRARY");
        if (named != null && !named.isBlank()) return open(Path.of(named));
        for (String candidate : LIBRARIES) {
            Path p = Path.of(candidate);
            if (Files.isReadable(p)) return open(p);
        }
        return null;
    }

    /** NVML from that library file, or null when it cannot be loaded or initialised. */
    static Nvml open(Path library) {
        if (!Files.isReadable(library)) return null;
        try {
            Api lib = Native.load(library.toAbsolutePath().toString(), Api.class);
            if (lib.nvmlInit_v2() != SUCCESS) return null;
            return new Nvml(lib);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null; // not a usable NVML (wrong architecture, a stub without the entry points)
        }
    }

    /** Every GPU the driver lists, or null when NVML fails as a whole (then nvidia-smi is asked instead). */
    List<Snapshot.Gpu> read() {
        IntByReference count = new IntByReference();
        if (lib.nvmlDeviceGetCount_v2(count) != SUCCESS) return null;
        List<Snapshot.Gpu> gpus = new ArrayList<>(count.getValue());
        for (int i = 0; i < count.getValue(); i++) {
            PointerByReference handle = new PointerByReference();
            if (lib.nvmlDeviceGetHandleByIndex_v2(i, handle) != SUCCESS) continue; // e.g. a GPU lost off the bus
            Pointer device = handle.getValue();
            byte[] name = new byte[NAME_LENGTH];
            String model = lib.nvmlDeviceGetName(device, name, NAME_LENGTH) == SUCCESS ? cString(name) : "NVIDIA GPU";
            int[] utilization = new int[2];
            double busy = lib.nvmlDeviceGetUtilizationRates(device, utilization) == SUCCESS ? utilization[0] : Double.NaN;
            long[] memory = new long[3];
            boolean hasMemory = lib.nvmlDeviceGetMemoryInfo(device, memory) == SUCCESS;
            IntByReference celsius = new IntByReference();
            double temperature = lib.nvmlDeviceGetTemperature(device, TEMPERATURE_GPU, celsius) == SUCCESS ? celsius.getValue() : Double.NaN;
            IntByReference milliwatts = new IntByReference();
            double power = lib.nvmlDeviceGetPowerUsage(device, milliwatts) == SUCCESS
                    ? Integer.toUnsignedLong(milliwatts.getValue()) / 1000.0 : Double.NaN;
            // The same id nvidia-smi's index gives, so a host switching between the two keeps its GPU's history.
            gpus.add(new Snapshot.Gpu("nvidia" + i, model, Snapshot.GpuVendor.NVIDIA, busy,
                    hasMemory ? memory[2] : -1, hasMemory ? memory[0] : -1, temperature, power));
        }
        return gpus;
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) end++;
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        lib.nvmlShutdown();
    }
}
