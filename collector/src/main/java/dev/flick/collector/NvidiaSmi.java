package dev.flick.collector;

import java.util.ArrayList;
import java.util.List;

/**
 * NVIDIA GPUs from {@code nvidia-smi --query-gpu=QUERY --format=csv,noheader,nounits}: one line per GPU, fields
 * separated by ", ", "[N/A]" or "[Not Supported]" where the board does not say. Memory comes in MiB, power in W.
 */
final class NvidiaSmi {

    static final String QUERY = "index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw";
    static final List<String> COMMAND = List.of("nvidia-smi", "--query-gpu=" + QUERY, "--format=csv,noheader,nounits");

    private NvidiaSmi() {}

    static List<Snapshot.Gpu> parse(String csv) {
        List<Snapshot.Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            if (f.length < 7) continue;
            for (int i = 0; i < f.length; i++) f[i] = f[i].strip();
            // A name may hold commas: the fields after it are counted from the end.
            int n = f.length;
            String name = String.join(",", java.util.Arrays.copyOfRange(f, 1, n - 5)).strip();
            double used = SysfsInventory.number(f[n - 4]), total = SysfsInventory.number(f[n - 3]);
            gpus.add(new Snapshot.Gpu("nvidia" + f[0], name, Snapshot.GpuVendor.NVIDIA, SysfsInventory.number(f[n - 5]),
                    Double.isNaN(used) ? -1 : (long) (used * 1024 * 1024), Double.isNaN(total) ? -1 : (long) (total * 1024 * 1024),
                    SysfsInventory.number(f[n - 2]), SysfsInventory.number(f[n - 1])));
        }
        return gpus;
    }
}
