package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NVML through JNA against a shared library built here with gcc from {@code nvml/nvml_stand_in.c}: the documented
 * NVML entry points and return codes, since this machine has no NVIDIA driver. Real native calls, real loading.
 */
class NvmlTest {

    @TempDir
    static Path dir;
    static Path library;
    static Path failing;

    @BeforeAll
    static void build() throws Exception {
        Path source = dir.resolve("nvml_stand_in.c");
        try (InputStream in = NvmlTest.class.getResourceAsStream("/nvml/nvml_stand_in.c")) {
            Files.copy(in, source);
        }
        library = gcc(source, "libnvidia-ml.so.1");
        failing = gcc(source, "libnvidia-ml-failing.so.1", "-DFAIL_INIT");
    }

    private static Path gcc(Path source, String name, String... flags) throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O1", "-o", out.toString(), source.toString()));
        command.addAll(List.of(flags));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("gcc: %s", output).isZero();
        return out;
    }

    @Test
    void readsEveryBoardLeavingUnsupportedValuesUnknown() {
        try (Nvml nvml = Nvml.open(library)) {
            assertThat(nvml).isNotNull();
            List<Snapshot.Gpu> gpus = nvml.read();
            assertThat(gpus).hasSize(2);
            Snapshot.Gpu rtx = gpus.get(0);
            assertThat(rtx.id()).isEqualTo("nvidia0");
            assertThat(rtx.name()).isEqualTo("NVIDIA GeForce RTX 4090");
            assertThat(rtx.vendor()).isEqualTo(Snapshot.GpuVendor.NVIDIA);
            assertThat(rtx.utilization()).isEqualTo(87.0);
            assertThat(rtx.memoryUsed()).isEqualTo(6_442_450_944L);
            assertThat(rtx.memoryTotal()).isEqualTo(25_757_220_864L);
            assertThat(rtx.temperature()).isEqualTo(64.0);
            assertThat(rtx.power()).isEqualTo(312.456);
            Snapshot.Gpu tesla = gpus.get(1);
            assertThat(tesla.id()).isEqualTo("nvidia1");
            assertThat(tesla.utilization()).isEqualTo(3.0);
            assertThat(tesla.temperature()).isNaN();
            assertThat(tesla.power()).isNaN();
        }
    }

    @Test
    void aMissingOrFailingLibraryIsNoNvml() throws IOException {
        assertThat(Nvml.open(dir.resolve("absent.so"))).isNull();
        Path notALibrary = Files.writeString(dir.resolve("not-a-library.so"), "hello");
        assertThat(Nvml.open(notALibrary)).isNull();
        assertThat(Nvml.open(failing)).isNull();
    }

    @Test
    void inventoryAsksNvmlFirstAndNvidiaSmiOnlyWithoutIt() {
        List<List<String>> asked = new ArrayList<>();
        Inventory.Commands commands = (command, timeout) -> {
            asked.add(command);
            return null;
        };
        Path empty = dir.resolve("no-sysfs");
        try (Inventory withNvml = new Inventory(empty, commands, InventorySettings.DEFAULTS, Nvml.open(library))) {
            withNvml.probe(0);
            assertThat(withNvml.attach(bareSnapshot()).gpus()).extracting(Snapshot.Gpu::name)
                    .containsExactly("NVIDIA GeForce RTX 4090", "Tesla K80");
            assertThat(asked).noneMatch(c -> c.equals(NvidiaSmi.COMMAND));
        }
        try (Inventory without = new Inventory(empty, commands, InventorySettings.DEFAULTS, null)) {
            without.probe(0);
            assertThat(asked).contains(NvidiaSmi.COMMAND);
            assertThat(without.attach(bareSnapshot()).gpus()).isNull();
        }
    }

    private static Snapshot bareSnapshot() {
        return new Snapshot("s", 1, new Snapshot.Cpu(0, 0, 0, 0, 0, new double[0], 0, 0, 0),
                new Snapshot.Memory(1, 1, 0, 0, 0, 0), List.of(), new Snapshot.DiskIo(0, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()), new Snapshot.Processes(0, List.of()));
    }

}
