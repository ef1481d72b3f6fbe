package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH path's bash sampler against a recorded sysfs tree and recorded smartctl / systemctl / nvidia-smi outputs. */
class InventorySamplerTest {

    @TempDir
    Path bin;

    /** A stand-in program on PATH that prints a recorded output for each argument list it is asked. */
    private void program(String name, String script) throws Exception {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void bashSamplerCarriesSensorsGpusDiskHealthServicesAndProcessIo() throws Exception {
        samplerCarriesSensorsGpusDiskHealthServicesAndProcessIo(true, "bash");
    }

    /** The POSIX sh sampler (Debian's dash here) for hosts without bash 4.4: the same sections, the same snapshot. */
    @Test
    void shSamplerCarriesTheSameInventory() throws Exception {
        samplerCarriesSensorsGpusDiskHealthServicesAndProcessIo(false, "sh");
    }

    /** busybox ash, the shell of Alpine and of most embedded targets (Debian's busybox-static; .ci/run installs it). */
    @Test
    void busyboxAshSamplerCarriesTheSameInventory() throws Exception {
        samplerCarriesSensorsGpusDiskHealthServicesAndProcessIo(false, "busybox", "sh");
    }

    private void samplerCarriesSensorsGpusDiskHealthServicesAndProcessIo(boolean bash, String... shellCommand) throws Exception {
        Path fixtures = InventoryTest.fixture("");
        program("smartctl", """
                case "$*" in
                  "--scan -j") cat %1$s/smartctl-scan.json ;;
                  "--scan") printf '/dev/sda -d sat # /dev/sda [SAT], ATA device\\n/dev/sdb -d sat # /dev/sdb [SAT], ATA device\\n/dev/nvme0 -d nvme # /dev/nvme0, NVMe device\\n' ;;
                  *"-d sat /dev/sda") cat %1$s/smartctl-sata.json; exit 0 ;;
                  *"-d sat /dev/sdb") cat %1$s/smartctl-standby.json; exit 2 ;;
                  *"-d nvme /dev/nvme0") cat %1$s/smartctl-nvme.json ;;
                esac
                """.formatted(fixtures));
        program("nvidia-smi", "cat " + fixtures + "/nvidia-smi.csv\n");
        String nonce = ProcScript.newNonce();
        String root = fixtures.resolve("desktop").toString();
        String script = "PATH=" + bin + ":$PATH\n" + (bash
                ? ProcScript.bashSampler(Duration.ofMillis(200), nonce, InventorySettings.DEFAULTS, root)
                : ProcScript.sampler(Duration.ofMillis(200), nonce, InventorySettings.DEFAULTS, root));
        List<String> command = new java.util.ArrayList<>(List.of(shellCommand));
        command.add("-s");
        Process shell = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = shell.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        try (BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8))) {
            ProcSampleParser parser = new ProcSampleParser(nonce);
            ProcSnapshotCalculator calculator = new ProcSnapshotCalculator("ssh");
            calculator.next(parser.parse(parser.nextBlock(out), 1_000));
            String second = parser.nextBlock(out);
            Snapshot s = calculator.next(parser.parse(second, 2_000));

            assertThat(second).as("smartctl runs on its 15-minute schedule, not every block").doesNotContain("@@smart " + nonce);
            assertThat(s.sensors()).extracting(Snapshot.Sensor::key).contains("coretemp/Package id 0", "nvme@hwmon1/Composite",
                    "drivetemp/temp1", "nct6798/fan2");
            assertThat(s.sensors().getFirst().critical()).isEqualTo(100.0);
            assertThat(s.gpus()).extracting(Snapshot.Gpu::id).containsExactly("nvidia0", "nvidia1", "card0", "card1");
            assertThat(s.diskHealth().unavailable()).isNull();
            assertThat(s.diskHealth().drives()).extracting(Snapshot.DiskHealth.Drive::device)
                    .containsExactly("/dev/sda", "/dev/sdb", "/dev/nvme0");
            assertThat(s.diskHealth().drives().get(1).standby()).isTrue();
            assertThat(s.diskHealth().drives().get(0).reallocated()).isEqualTo(12);
            // This machine is not booted with systemd: no services section at all.
            assertThat(s.services()).isNull();
            // Every process this root sampler may read has I/O counters, so the second block has rates for the top.
            List<ProcSample.Process> sampled = parser.parse(second, 2_000).processes();
            assertThat(sampled).anyMatch(p -> p.readBytes() >= 0);
            assertThat(s.processes().top()).anyMatch(p -> !Double.isNaN(p.readBps()));
        } finally {
            shell.destroy();
            shell.waitFor();
        }
    }

    @Test
    void parsesSystemdUnitsFromTheUnitsSection() {
        String nonce = "n0nce";
        String block = "@@flick-sample n0nce\n@@proc n0nce\n" + Fixtures.text("small-1.txt").lines()
                .dropWhile(l -> !l.startsWith("@@proc")).skip(1).takeWhile(l -> !l.startsWith("@@df"))
                .reduce("", (a, b) -> a + b + "\n")
                + "@@procs n0nce\n@@details n0nce\n@@units n0nce\n" + InventoryTest.text("systemctl-units.json") + "\n@@end n0nce\n";
        ProcSample sample = new ProcSampleParser(nonce).parse(block, 1);
        assertThat(sample.sections().services().failedUnits()).containsExactly("nginx.service", "systemd-networkd-wait-online.service");
    }
}
