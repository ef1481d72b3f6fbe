package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runs the scripts under this machine's /bin/sh (dash on Debian), fed on standard input as the hub feeds them. */
class ProcScriptTest {

    @Test
    void samplerPrintsBlocksThatParseIntoSnapshotsUnderPlainSh() throws Exception {
        String nonce = ProcScript.newNonce();
        Process sh = start(ProcScript.sampler(Duration.ofMillis(500), nonce));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(sh.getInputStream(), StandardCharsets.UTF_8))) {
            ProcSampleParser parser = new ProcSampleParser(nonce);
            ProcSnapshotCalculator calculator = new ProcSnapshotCalculator("here");
            ProcSample first = parser.parse(parser.nextBlock(out), System.currentTimeMillis());
            calculator.next(first);
            ProcSample second = parser.parse(parser.nextBlock(out), System.currentTimeMillis());
            Snapshot s = calculator.next(second);

            assertThat(first.userNames()).containsEntry(0, "root");
            assertThat((second.clockNanos() - first.clockNanos()) / 1e9).isBetween(0.4, 2.0);
            assertThat(s.cpu().cores()).hasSize(Runtime.getRuntime().availableProcessors());
            assertThat(s.cpu().usage()).isBetween(0.0, 100.0);
            assertThat(s.disks()).extracting(Snapshot.Disk::mount).contains("/");
            assertThat(s.processes().count()).isGreaterThan(5);
            assertThat(s.processes().top()).isNotEmpty().allSatisfy(p -> assertThat(p.user()).isNotEqualTo("?"));
            // The sampler's own shell is among the processes it lists.
            assertThat(second.processes()).anySatisfy(p -> assertThat(p.pid()).isEqualTo((int) sh.pid()));
        } finally {
            sh.destroy();
            sh.waitFor();
        }
    }

    @Test
    void hostInfoScriptAgreesWithTheLocalCollector() throws Exception {
        Process sh = start(ProcScript.HOST_INFO);
        String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor()).isZero();
        HostInfo remote = ProcHostInfo.parse(output);
        try (OshiCollector local = new OshiCollector()) {
            HostInfo here = local.hostInfo();
            assertThat(remote).usingRecursiveComparison().ignoringFields("uptime").isEqualTo(here);
            assertThat(remote.uptime()).isCloseTo(here.uptime(), org.assertj.core.api.Assertions.within(2L));
        }
    }

    @Test
    void scriptsHoldNoSingleQuoteSoTheyAlsoFitInShDashC() {
        assertThat(ProcScript.sampler(Duration.ofSeconds(1), "abc")).doesNotContain("'");
        assertThat(ProcScript.HOST_INFO).doesNotContain("'");
    }

    @Test
    void aNonceThatCouldBreakOutOfTheScriptIsRefused() {
        assertThatThrownBy(() -> ProcScript.sampler(Duration.ofSeconds(1), "x; rm -rf /"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProcSampleParser("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ProcScript.newNonce()).matches("[0-9a-f]{32}").isNotEqualTo(ProcScript.newNonce());
    }

    @Test
    void fractionalIntervalsAreWrittenForSleep() {
        assertThat(ProcScript.sampler(Duration.ofMillis(1500), "abc")).contains("sleep 1.500");
        assertThat(ProcScript.sampler(Duration.ofSeconds(2), "abc")).contains("sleep 2\n");
    }

    private static Process start(String script) throws IOException {
        Process sh = new ProcessBuilder("/bin/sh", "-s").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = sh.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        return sh;
    }
}
