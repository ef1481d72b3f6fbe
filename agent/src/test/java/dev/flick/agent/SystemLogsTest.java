package dev.flick.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following system logs on this machine's real files and processes: tailing, rotation, the journal, the bounds. */
class SystemLogsTest {

    @TempDir
    Path dir;

    @Test
    void aFollowedFileGivesNewLinesThroughRotationAndTruncation() throws Exception {
        Path file = dir.resolve("syslog");
        Files.writeString(file, "Nov 26 03:12:00 web1 old[1]: written before the agent started\n");
        List<String> lines = new ArrayList<>();
        try (SyslogTail tail = new SyslogTail(file, false, new LineSplitter(lines::add))) {
            append(file, "Nov 26 03:12:01 web1 cron[2]: first\nNov 26 03:12:02 web1 cron[2]: half a li");
            tail.poll();
            assertThat(lines).containsExactly("Nov 26 03:12:01 web1 cron[2]: first");
            append(file, "ne\r\n");
            tail.poll();
            assertThat(lines).last().isEqualTo("Nov 26 03:12:02 web1 cron[2]: half a line");

            // Rotation: the file is renamed, a last line still lands in it, and a new file takes the name.
            append(file, "last words in the old file\n");
            Files.move(file, dir.resolve("syslog.1"));
            append(dir.resolve("syslog.1"), "written after the rename\n");
            Files.writeString(file, "first line of the new file\n");
            tail.poll();
            assertThat(lines).endsWith("last words in the old file", "written after the rename", "first line of the new file");

            // Truncation in place (copytruncate): read again from the start.
            Files.writeString(file, "after truncation\n", StandardOpenOption.TRUNCATE_EXISTING);
            tail.poll();
            assertThat(lines).last().isEqualTo("after truncation");

            Files.delete(file);
            org.assertj.core.api.Assertions.assertThatThrownBy(tail::poll).isInstanceOf(NoSuchFileException.class);
        }
    }

    @Test
    void anOverlongLineIsSkippedAndReportedWithoutHoldingItAll() {
        List<String> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(lines::add);
        byte[] big = ("x".repeat(LineSplitter.MAX_LINE * 2) + "\nshort\n").getBytes(StandardCharsets.UTF_8);
        splitter.feed(big, 0, big.length);
        assertThat(lines).containsExactly(null, "short");
    }

    @Test
    void aFloodKeepsTheNewestLinesWithinBothBoundsAndAcknowledgementsRemoveOnlyWhatWasSent() {
        LogQueue queue = new LogQueue(100, 1_000, new Doorbell());
        for (int i = 0; i < 1_000; i++) queue.add("{\"n\":" + i + "}");
        assertThat(queue.size()).isLessThanOrEqualTo(100);
        assertThat(queue.dropped()).isEqualTo(1_000 - queue.size());

        StringBuilder sent = new StringBuilder();
        LogQueue.Batch batch = queue.oldest(10, 10_000, sent);
        assertThat(batch.count()).isEqualTo(10);
        assertThat(sent.toString()).startsWith("{\"n\":" + (1_000 - queue.size()) + "}");
        // More lines arrive while the batch is on its way, pushing some of the sent ones (and others) out.
        for (int i = 1_000; i < 1_050; i++) queue.add("{\"n\":" + i + "}");
        queue.acknowledge(batch.end());
        StringBuilder next = new StringBuilder();
        queue.oldest(1, 10_000, next);
        // Nothing unsent was acknowledged away: the oldest left is the oldest that survived the drops.
        assertThat(next.toString()).isEqualTo("{\"n\":" + (1_050 - queue.size()) + "}");

        LogQueue bytes = new LogQueue(10_000, 100, new Doorbell());
        for (int i = 0; i < 50; i++) bytes.add("0123456789");
        assertThat(bytes.size()).isEqualTo(10);
    }

    @Test
    void theRateLetsASecondsWorthOutAtOnceThenPacesTheRest() {
        LogRate rate = new LogRate(500);
        assertThat(rate.available()).isEqualTo(500);
        assertThat(rate.millisUntil(100)).isZero();
        rate.take(500);
        assertThat(rate.millisUntil(100)).isBetween(150L, 200L);
        assertThat(rate.millisUntil(1)).isLessThanOrEqualTo(2L); // a line every 2 ms
    }

    @Test
    void theJournalCommandsLinesAreReadAndUnreadableOnesCountedAndSkipped() throws Exception {
        long now = System.currentTimeMillis();
        Path fixture = dir.resolve("journal.jsonl");
        Files.writeString(fixture, String.join("\n",
                "{\"__REALTIME_TIMESTAMP\":\"" + now * 1000 + "\",\"PRIORITY\":\"3\",\"_SYSTEMD_UNIT\":\"app.service\",\"MESSAGE\":\"disk on fire\"}",
                "not json at all",
                "{\"__REALTIME_TIMESTAMP\":\"" + (now + 1) * 1000 + "\",\"PRIORITY\":\"6\",\"SYSLOG_IDENTIFIER\":\"sshd\",\"MESSAGE\":\"accepted\"}",
                "{\"MESSAGE\":\"no time\"}",
                ""));
        LogQueue queue = new LogQueue(100, 100_000, new Doorbell());
        AgentSettings settings = AgentSettings.parse(new String[] {"--hub", "http://127.0.0.1:1", "--token", "flk_t", "--logs", "journal",
                "--journal-command", "cat '" + fixture + "'; sleep 30"}, Map.of());
        LogFollower follower = new LogFollower(settings, queue);
        follower.start();
        try {
            await(() -> queue.size() == 2 && queue.malformedCount() == 2);
            StringBuilder out = new StringBuilder();
            queue.oldest(10, 100_000, out);
            assertThat(out.toString()).isEqualTo(
                    "{\"ts\":" + now + ",\"source\":\"journal\",\"level\":\"error\",\"unit\":\"app.service\",\"message\":\"disk on fire\"},"
                    + "{\"ts\":" + (now + 1) + ",\"source\":\"journal\",\"level\":\"info\",\"unit\":\"sshd\",\"message\":\"accepted\"}");
        } finally {
            follower.stop();
        }
    }

    @Test
    void aJournalCommandThatEndsIsStartedAgainFromTheLastCursor() throws Exception {
        long now = System.currentTimeMillis();
        Path script = dir.resolve("journal.sh");
        Files.writeString(script, String.join("\n",
                "if [ -z \"$FLICK_JOURNAL_CURSOR\" ]; then",
                "  echo '{\"__CURSOR\":\"s=abc;i=7\",\"__REALTIME_TIMESTAMP\":\"" + now * 1000 + "\",\"MESSAGE\":\"first run\"}'",
                "  exit 0",
                "fi",
                "echo '{\"__REALTIME_TIMESTAMP\":\"" + now * 1000 + "\",\"MESSAGE\":\"resumed after '\"$FLICK_JOURNAL_CURSOR\"'\"}'",
                "exec sleep 30", ""));
        LogQueue queue = new LogQueue(100, 100_000, new Doorbell());
        AgentSettings settings = AgentSettings.parse(new String[] {"--hub", "http://127.0.0.1:1", "--token", "flk_t", "--logs", "journal",
                "--journal-command", "sh '" + script + "'"}, Map.of());
        LogFollower follower = new LogFollower(settings, queue);
        follower.start();
        try {
            await(() -> queue.size() == 2); // the restart comes after a backoff of at most a second
            StringBuilder out = new StringBuilder();
            queue.oldest(10, 100_000, out);
            assertThat(out.toString()).contains("\"message\":\"first run\"").contains("\"message\":\"resumed after s=abc;i=7\"");
        } finally {
            follower.stop();
        }
    }

    @Test
    void autoFallsBackToTheSyslogFileWhenTheJournalFailsAndFollowsItAgainWhenItReturns() throws Exception {
        Path file = dir.resolve("messages");
        Files.writeString(file, "");
        LogQueue queue = new LogQueue(100, 100_000, new Doorbell());
        AgentSettings settings = AgentSettings.parse(new String[] {"--hub", "http://127.0.0.1:1", "--token", "flk_t",
                "--journal-command", "echo 'No journal files were found.' >&2; exit 1", "--syslog-file", file.toString()}, Map.of());
        assertThat(settings.logs()).isEqualTo(AgentSettings.LogMode.AUTO);
        LogFollower follower = new LogFollower(settings, queue);
        follower.start();
        try {
            await(() -> queue.malformedCount() == 1); // journalctl's complaint, counted as unreadable
            Thread.sleep(1_500); // the follower is on the file now
            append(file, "2026-11-26T03:12:03.123+00:00 web1 nginx[7]: <1> upstream timed out\n");
            await(() -> queue.size() == 1);
            Files.delete(file);
            Thread.sleep(1_000);
            Files.writeString(file, "<11>Nov 26 03:12:02 web1 app[99]: payment failed\n"); // back (with backoff), read from its start
            await(() -> queue.size() == 2);
            StringBuilder out = new StringBuilder();
            queue.oldest(10, 100_000, out);
            assertThat(out.toString()).contains("\"source\":\"syslog\",\"level\":\"info\",\"unit\":\"nginx\",\"message\":\"<1> upstream timed out\"")
                    .contains("\"level\":\"error\",\"unit\":\"app\",\"message\":\"payment failed\"");
        } finally {
            follower.stop();
        }
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(50);
        }
    }
}
