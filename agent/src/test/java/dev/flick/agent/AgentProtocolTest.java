package dev.flick.agent;

import static dev.flick.agent.FakeHub.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent, in-process (real sampling, real outbox on disk), against a scripted protocol-2 hub: clock probes,
 * acks with refusals, storage-unavailable with live samples, a hub that hangs up without acknowledging.
 */
class AgentProtocolTest {

    @TempDir
    Path dir;
    private Agent agent;
    private Thread running;
    private FakeHub hub;

    private void start(FakeHub hub) {
        this.hub = hub;
        AgentSettings settings = AgentSettings.parse(new String[] {"--hub", hub.url(), "--token", "flk_test", "--interval", "200ms",
                "--logs", "off", "--outbox-dir", dir.resolve("outbox").toString()}, Map.of());
        agent = new Agent(settings);
        running = new Thread(() -> {
            try {
                agent.run();
            } catch (InterruptedException e) {
                // stopped
            }
        }, "agent-under-test");
        running.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.stop();
            running.interrupt();
            running.join(10_000);
        }
        if (hub != null) hub.close();
    }

    @Test
    void authCarriesTheAgentClockAndClockProbesAreAnsweredEvenWhileAnAckIsAwaited() throws Exception {
        FakeHub h = new FakeHub(0);
        h.probeBeforeAck = true; // the agent is in awaitAck when these come
        long before = System.currentTimeMillis();
        start(h);
        await("two probes are answered", () -> h.timeReplies.size() >= 3);
        long clock = Messages.number(h.auths.get(0), "clock");
        assertThat(clock).isBetween(before, System.currentTimeMillis());
        for (int i = 0; i < 3; i++) {
            String reply = h.timeReplies.get(i);
            long[] times = h.probeTimes.get(i);
            long a1 = Messages.number(reply, "a1");
            long a2 = Messages.number(reply, "a2");
            assertThat(Messages.number(reply, "h")).isEqualTo(times[0]);
            // One machine, one clock: the agent's stamps lie between the probe leaving and its answer arriving.
            assertThat(a1).isBetween(times[0], a2);
            assertThat(a2).isLessThanOrEqualTo(times[1]);
            assertThat(times[1] - times[0]).as("answered promptly").isLessThan(2_000);
        }
    }

    @Test
    void whileTheHubCannotStoreTheAgentKeepsEverythingAndSendsNewSamplesLive() throws Exception {
        FakeHub h = new FakeHub(0);
        h.answer = FakeHub.Answer.UNAVAILABLE;
        h.retryMs = 400;
        start(h);
        await("a few live samples arrive", () -> h.live.size() >= 4);
        assertThat(h.stored).isEmpty();
        assertThat(h.live).isSorted().doesNotHaveDuplicates();
        h.answer = FakeHub.Answer.ACK;
        Set<Long> everything = new HashSet<>();
        await("everything sent, live or in a refused batch, is stored", () -> {
            everything.addAll(h.sent);
            everything.addAll(h.live);
            return new HashSet<>(h.stored).containsAll(everything) && h.stored.size() > h.live.size();
        });
        assertThat(h.stored).isSorted(); // oldest first, each once, no gap
        assertThat(h.stored).doesNotHaveDuplicates();
    }

    @Test
    void aBatchTheHubDidNotAcknowledgeIsSentAgainAfterTheHubHungUp() throws Exception {
        FakeHub h = new FakeHub(0);
        h.answer = FakeHub.Answer.HANG_UP;
        start(h);
        await("a batch was sent", () -> !h.sent.isEmpty());
        List<Long> unacknowledged = new ArrayList<>(h.sent);
        h.answer = FakeHub.Answer.ACK;
        await("the batch is stored on a later connection", () -> h.stored.containsAll(unacknowledged));
        assertThat(h.connections).isGreaterThanOrEqualTo(2);
        assertThat(h.stored.get(0)).isEqualTo(unacknowledged.get(0));
    }

    @Test
    void refusedSnapshotsGoToRefusedJsonlAndAreNotSentAgain() throws Exception {
        FakeHub h = new FakeHub(0);
        h.answer = FakeHub.Answer.HANG_UP; // hold the first batch to learn a ts to refuse
        start(h);
        await("a batch was sent", () -> !h.sent.isEmpty());
        long bad = h.sent.get(0);
        h.refuse.add(bad);
        h.answer = FakeHub.Answer.ACK;
        await("the refusal was sent and later snapshots stored", () -> !h.refusedSent.isEmpty() && h.stored.size() >= 3);
        Path refused = dir.resolve("outbox").resolve(DiskOutbox.REFUSED);
        await("refused.jsonl holds it", () -> Files.exists(refused));
        String line = Files.readAllLines(refused).get(0);
        assertThat(Messages.number(line, "ts")).isEqualTo(bad);
        assertThat(Messages.string(line, "code")).isEqualTo("bad-snapshot");
        assertThat(Messages.string(line, "message")).isEqualTo("cpu.usage is out of range");
        assertThat(line).contains("\"item\":{");
        int resentAt = h.sent.lastIndexOf(bad);
        long storedAfter = h.stored.size();
        await("more is stored", () -> h.stored.size() > storedAfter + 2);
        assertThat(h.sent.lastIndexOf(bad)).as("not sent again").isEqualTo(resentAt);
        assertThat(h.stored).doesNotContain(bad);
    }

    @Test
    void aRefusedItemNewerThanTheAcksTsIsNotSentAgainEither() throws Exception {
        FakeHub h = new FakeHub(0);
        start(h);
        await("a first snapshot is stored", () -> !h.stored.isEmpty());
        h.refuseLast = true; // the ack's ts is then the newest *stored* item, below the refused one
        await("one was refused", () -> !h.refusedSent.isEmpty());
        long bad = h.refusedSent.get(0);
        int sentSoFar = h.sent.size();
        await("later snapshots are stored", () -> h.stored.stream().filter(ts -> ts > bad).count() >= 3);
        assertThat(h.sent.subList(sentSoFar, h.sent.size())).doesNotContain(bad);
        assertThat(Files.readString(dir.resolve("outbox").resolve(DiskOutbox.REFUSED))).contains("\"ts\":" + bad);
    }
}
