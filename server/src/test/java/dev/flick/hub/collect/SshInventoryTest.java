package dev.flick.hub.collect;

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
import java.util.Set;

import dev.flick.collector.InventorySettings;
import dev.flick.collector.ProcSampleParser;
import dev.flick.collector.ProcScript;
import dev.flick.collector.ProcSnapshotCalculator;
import dev.flick.collector.Snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH path's inventory sections through the real test sshd: the bash sampler fed on {@code bash -s} over an SSH
 * session, with a recorded sysfs tree (the sampler's sysfs root) and recorded systemctl / smartctl outputs on PATH,
 * parsed by the same parser the hub's SshWatch uses.
 */
class SshInventoryTest {

    static final Path FIXTURES = Path.of("../collector/src/test/resources/inventory").toAbsolutePath().normalize();

    @TempDir
    Path bin;

    private void program(String name, String script) throws Exception {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void anSshTargetReportsSensorsGpusDiskHealthAndWatchedUnits() throws Exception {
        try (TestSshd sshd = new TestSshd()) {
            program("systemctl", "cat " + FIXTURES + "/systemctl-units.json\n");
            program("smartctl", "case \"$*\" in \"--scan -j\") echo '{\"smartctl\":{\"exit_status\":0}}' ;; esac\n");
            Files.createDirectories(bin.resolve("run/systemd/system"));
            String nonce = ProcScript.newNonce();
            InventorySettings settings = new InventorySettings(true, Duration.ofMinutes(15), Duration.ofSeconds(1),
                    Duration.ofSeconds(5), Set.of("nginx.service"));
            // The fixture target is "booted with systemd": the sampler's check looks for /run/systemd/system.
            String script = "PATH=" + bin + ":$PATH\n" + ProcScript.bashSampler(Duration.ofMillis(300), nonce, settings)
                    .replace("[[ -d /run/systemd/system ]]", "[[ -d " + bin + "/run/systemd/system ]]")
                    .replace("R=\n", "R=" + FIXTURES.resolve("desktop") + "\n");
            Path key = sshd.dir.resolve("client");
            Process ssh = new ProcessBuilder("ssh", "-i", key.toString(), "-p", Integer.toString(sshd.port), "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "root@127.0.0.1", ProcScript.BASH)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = ssh.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            try (BufferedReader out = new BufferedReader(new InputStreamReader(ssh.getInputStream(), StandardCharsets.UTF_8))) {
                ProcSampleParser parser = new ProcSampleParser(nonce, settings.watchedUnits());
                ProcSnapshotCalculator calculator = new ProcSnapshotCalculator("ssh");
                calculator.next(parser.parse(parser.nextBlock(out), 1_000));
                Snapshot s = calculator.next(parser.parse(parser.nextBlock(out), 2_000));

                assertThat(s.sensors()).extracting(Snapshot.Sensor::key).contains("coretemp/Package id 0", "drivetemp/temp1");
                assertThat(s.gpus()).extracting(Snapshot.Gpu::id).containsExactly("card0", "card1");
                assertThat(s.diskHealth().unavailable()).isEqualTo(Snapshot.SmartUnavailable.NO_DEVICES);
                assertThat(s.services().failed()).isEqualTo(2);
                assertThat(s.services().watched()).containsExactly(new Snapshot.Services.Unit("nginx.service", "failed", "failed"));
                assertThat(s.processes().top()).anyMatch(p -> !Double.isNaN(p.readBps()));
            } finally {
                ssh.destroy();
                ssh.waitFor();
            }
        }
    }

    @Test
    void theRealSmartctlOverSshSaysNoDevicesOnThisVirtualMachine() throws Exception {
        try (TestSshd sshd = new TestSshd()) {
            String nonce = ProcScript.newNonce();
            Process ssh = new ProcessBuilder("ssh", "-i", sshd.dir.resolve("client").toString(), "-p", Integer.toString(sshd.port),
                    "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "root@127.0.0.1",
                    ProcScript.BASH).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = ssh.getOutputStream()) {
                in.write(ProcScript.bashSampler(Duration.ofMillis(300), nonce, InventorySettings.DEFAULTS).getBytes(StandardCharsets.UTF_8));
            }
            try (BufferedReader out = new BufferedReader(new InputStreamReader(ssh.getInputStream(), StandardCharsets.UTF_8))) {
                ProcSampleParser parser = new ProcSampleParser(nonce);
                Snapshot s = new ProcSnapshotCalculator("ssh").next(parser.parse(parser.nextBlock(out), 1_000));
                assertThat(s.diskHealth()).isNotNull();
                assertThat(s.diskHealth().drives()).isEmpty();
                assertThat(s.diskHealth().unavailable()).isIn(List.of(Snapshot.SmartUnavailable.NO_DEVICES, Snapshot.SmartUnavailable.NO_SMARTCTL));
                // Not booted with systemd here: no services section, and no hwmon: no sensors.
                assertThat(s.services()).isNull();
            } finally {
                ssh.destroy();
                ssh.waitFor();
            }
        }
    }
}
