package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;

/**
 * A real busy process started with secrets on its command line, watched by each collector path of this module
 * (local /proc, OSHI, and the SSH samplers under sh and bash): the snapshot's command shows where the secrets were,
 * never the secrets.
 */
class SecretsInCommandLinesTest {

    static final String PASSWORD = "Pw-" + Long.toHexString(System.nanoTime());
    static final String TOKEN = "flk_" + Long.toHexString(System.nanoTime()) + "Xy";
    static final String URL_PASSWORD = "Up" + Long.toHexString(System.nanoTime());

    Process busy;

    @BeforeEach
    void startBusyProcess() throws Exception {
        busy = new ProcessBuilder("sh", "-c", "while :; do :; done", "flick-secret-test", "--password=" + PASSWORD, "--token", TOKEN,
                "postgres://app:" + URL_PASSWORD + "@127.0.0.1/db").start();
    }

    @AfterEach
    void stopBusyProcess() throws Exception {
        busy.destroyForcibly().waitFor();
    }

    @Test
    void theLocalCollectorRedactsCommandLines() {
        OshiCollector collector = new OshiCollector("local");
        assertRedacted(awaitBusy(collector::sample));
    }

    @Test
    void theOshiReaderRedactsCommandLines() {
        OshiCollector collector = new OshiCollector("oshi", new OshiCounters(new SystemInfo()));
        assertRedacted(awaitBusy(collector::sample));
    }

    @Test
    void theSshSamplersRedactCommandLines() throws Exception {
        for (boolean bash : new boolean[] {false, true}) {
            String nonce = ProcScript.newNonce();
            String script = bash ? ProcScript.bashSampler(Duration.ofMillis(300), nonce) : ProcScript.sampler(Duration.ofMillis(300), nonce);
            Process sampler = new ProcessBuilder(bash ? List.of("bash", "-s") : List.of("sh", "-s")).start();
            try (OutputStream in = sampler.getOutputStream();
                 BufferedReader out = new BufferedReader(new InputStreamReader(sampler.getInputStream(), StandardCharsets.UTF_8))) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
                in.flush();
                ProcSampleParser parser = new ProcSampleParser(nonce);
                ProcSnapshotCalculator calculator = new ProcSnapshotCalculator("ssh");
                assertRedacted(awaitBusy(() -> {
                    try {
                        return calculator.next(parser.parse(parser.nextBlock(out), System.currentTimeMillis()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            } finally {
                sampler.destroyForcibly().waitFor();
            }
        }
    }

    /** Samples until the busy process makes the top (it uses a whole core, but builds may share the machine). */
    private Snapshot.Processes.Process awaitBusy(Supplier<Snapshot> sample) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Snapshot.Processes.Process> found = sample.get().processes().top().stream()
                    .filter(p -> p.pid() == (int) busy.pid()).findFirst();
            if (found.isPresent()) return found.get();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the busy process never made the top");
    }

    private static void assertRedacted(Snapshot.Processes.Process p) {
        assertThat(p.command()).contains("flick-secret-test", "--password=***", "--token ***", "postgres://app:***@127.0.0.1/db")
                .doesNotContain(PASSWORD).doesNotContain(TOKEN).doesNotContain(URL_PASSWORD);
    }
}
