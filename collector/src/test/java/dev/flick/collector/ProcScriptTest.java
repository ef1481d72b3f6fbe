package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the scripts under this machine's /bin/sh (dash on Debian) and bash, fed on standard input as the hub feeds
 * them.
 */
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
    void bashSamplerPrintsBlocksThatParseIntoTheSameSnapshotsWithoutForking() throws Exception {
        String nonce = ProcScript.newNonce();
        Process bash = start(List.of("bash", "-s"), ProcScript.bashSampler(Duration.ofMillis(300), nonce));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8))) {
            ProcSampleParser parser = new ProcSampleParser(nonce);
            ProcSnapshotCalculator calculator = new ProcSnapshotCalculator("here");
            String firstBlock = parser.nextBlock(out);
            ProcSample first = parser.parse(firstBlock, System.currentTimeMillis());
            calculator.next(first);
            String secondBlock = parser.nextBlock(out);
            ProcSample second = parser.parse(secondBlock, System.currentTimeMillis());
            Snapshot s = calculator.next(second);

            assertThat(firstBlock).contains("@@df " + nonce, "@@passwd " + nonce, "@@details " + nonce);
            assertThat(secondBlock).as("df and passwd come every 30th and 300th block")
                    .doesNotContain("@@df " + nonce).doesNotContain("@@passwd " + nonce).contains("@@details " + nonce);
            // The first block describes every process, later ones only the new: a handful at most on a quiet second.
            assertThat(details(firstBlock, nonce)).hasSizeGreaterThan(5);
            assertThat(details(secondBlock, nonce).size()).isLessThan(details(firstBlock, nonce).size());
            assertThat(first.userNames()).containsEntry(0, "root");
            assertThat((second.clockNanos() - first.clockNanos()) / 1e9).isBetween(0.2, 2.0);
            assertThat(s.cpu().cores()).hasSize(Runtime.getRuntime().availableProcessors());
            assertThat(s.disks()).as("the last df is kept").extracting(Snapshot.Disk::mount).contains("/");
            assertThat(s.processes().count()).isGreaterThan(5);
            assertThat(s.processes().top()).isNotEmpty().allSatisfy(p -> assertThat(p.user()).isNotEqualTo("?"));
            // The sampler's own bash is listed with its user and command line, learnt from the first block.
            ProcSample.Process self = second.processes().stream().filter(p -> p.pid() == (int) bash.pid()).findFirst().orElseThrow();
            assertThat(self.uid()).isEqualTo(uid());
            assertThat(self.command()).isEqualTo("bash -s");
            // Nothing forked per block: the bash has only its one-off process substitution's child, long gone.
            assertThat(bash.children().count()).isZero();
        } finally {
            bash.destroy();
            bash.waitFor();
        }
    }

    @Test
    void namesAndCommandLinesCannotForgeLinesOrRunCode() throws Exception {
        Path dir = Files.createTempDirectory("flick-forge");
        String nonce = ProcScript.newNonce();
        // comm is 15 bytes at most: a command substitution, a subscript, a newline-split fake stat line.
        String[] names = {"$(touch pwned)", "a]=$(touch x)", "z\n1 (init) S 0", "x) R 1 (y"};
        String fakeArgs = "\n@@end " + nonce.substring(0, 4) + "\n7 0 forged\n==> /proc/1/cmdline <==";
        List<Process> victims = new java.util.ArrayList<>();
        for (String name : names) {
            // exec names a process after the file it ran (cut to 15 bytes): bash under a hostile link name, waiting,
            // with a command line full of fake framing.
            Path link = Files.createSymbolicLink(dir.resolve(name), Path.of("/bin/bash"));
            victims.add(new ProcessBuilder(link.toString(), "-c", "exec {f}<> <(:); read -t 60 -u $f", "victim", fakeArgs)
                    .directory(dir.toFile()).redirectErrorStream(true).start());
        }
        Process bash = null;
        try {
            Thread.sleep(500);
            bash = start(List.of("bash", "-s"), ProcScript.bashSampler(Duration.ofMillis(200), nonce));
            BufferedReader out = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8));
            ProcSampleParser parser = new ProcSampleParser(nonce);
            ProcSample first = parser.parse(parser.nextBlock(out), 1);
            ProcSample second = parser.parse(parser.nextBlock(out), 2);
            List<ProcSample.Process> sleepers = second.processes().stream()
                    .filter(p -> p.command() != null && p.command().startsWith(dir.toString())).toList();
            assertThat(sleepers).extracting(ProcSample.Process::name)
                    .containsExactlyInAnyOrder("$(touch pwned)", "a]=$(touch x)", "z\n1 (init) S 0", "x) R 1 (y");
            assertThat(sleepers).allSatisfy(p -> {
                assertThat(p.command()).doesNotContain("\n").contains("forged");
                assertThat(p.uid()).isEqualTo(uid());
            });
            assertThat(second.processes()).filteredOn(p -> p.pid() == 7).allSatisfy(p -> assertThat(p.command()).doesNotContain("forged"));
            assertThat(first.processes().size()).isCloseTo(second.processes().size(), org.assertj.core.data.Offset.offset(20));
            try (var files = Files.list(dir)) {
                assertThat(files).as("no name was run as code").hasSize(names.length);
            }
        } finally {
            if (bash != null) bash.destroy();
            for (Process v : victims) {
                v.descendants().forEach(ProcessHandle::destroy);
                v.destroy();
            }
        }
    }

    @Test
    void withoutBashTheHubFallsBackBecauseTheBashSamplerEndsBeforeItsFirstBlock() throws Exception {
        Process dash = start(List.of("/bin/sh", "-s"), ProcScript.bashSampler(Duration.ofSeconds(1), "abc"));
        String output = new String(dash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dash.waitFor()).isNotZero();
        assertThat(output).doesNotContain("@@flick-sample");
    }

    private static List<String> details(String block, String nonce) {
        String section = block.substring(block.indexOf("@@details " + nonce) + 10 + nonce.length(), block.indexOf("@@end " + nonce));
        return section.lines().filter(l -> !l.isBlank()).toList();
    }

    private static int uid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) return Integer.parseInt(line.split("\\s+")[2]);
        }
        throw new IllegalStateException("no Uid line");
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
        assertThat(ProcScript.bashSampler(Duration.ofSeconds(1), "abc")).doesNotContain("'");
        assertThat(ProcScript.HOST_INFO).doesNotContain("'");
    }

    @Test
    void aNonceThatCouldBreakOutOfTheScriptIsRefused() {
        assertThatThrownBy(() -> ProcScript.sampler(Duration.ofSeconds(1), "x; rm -rf /"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcScript.bashSampler(Duration.ofSeconds(1), "$(reboot)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProcSampleParser("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ProcScript.newNonce()).matches("[0-9a-f]{32}").isNotEqualTo(ProcScript.newNonce());
    }

    @Test
    void fractionalIntervalsAreWrittenForSleep() {
        assertThat(ProcScript.sampler(Duration.ofMillis(1500), "abc")).contains("sleep 1.500");
        assertThat(ProcScript.sampler(Duration.ofSeconds(2), "abc")).contains("sleep 2\n");
        assertThat(ProcScript.bashSampler(Duration.ofMillis(1500), "abc")).contains("read -t 1.500 -u");
    }

    private static Process start(String script) throws IOException {
        return start(List.of("/bin/sh", "-s"), script);
    }

    private static Process start(List<String> command, String script) throws IOException {
        Process sh = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = sh.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        return sh;
    }
}
