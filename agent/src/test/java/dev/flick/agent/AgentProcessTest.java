package dev.flick.agent;

import static dev.flick.agent.FakeHub.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real agent process (java -cp with the test classpath), killed with SIGKILL while the hub is away. */
class AgentProcessTest {

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<FakeHub> hubs = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (FakeHub h : hubs) h.close();
    }

    private Process agent(FakeHub hub, Path outbox, String log) throws IOException {
        return agent(hub.url(), outbox, log);
    }

    private Process agent(String hubs, Path outbox, String log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "--hub", hubs, "--token", "flk_test", "--interval", "200ms", "--logs", "off", "--outbox-dir", outbox.toString());
        pb.environment().remove("FLICK_TOKEN");
        pb.environment().put("FLICK_AGENT_NO_RELAUNCH", "1"); // SIGKILL must hit the agent itself, not its launcher
        pb.redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private FakeHub hub(int port) throws IOException {
        FakeHub h = new FakeHub(port);
        hubs.add(h);
        return h;
    }

    @Test
    void anAgentKilledWhileTheHubIsAwayLosesNothingAfterItsRestart() throws Exception {
        Path outbox = dir.resolve("outbox");
        FakeHub first = hub(0);
        Process a1 = agent(first, outbox, "agent-1.log");
        await("the first agent's snapshots are stored", () -> first.stored.size() >= 3);
        first.close(); // the hub goes away
        long away = System.currentTimeMillis();
        await("the agent keeps samples taken while the hub is away", () -> recordsOnDisk(outbox).stream().filter(ts -> ts > away).count() >= 5);
        a1.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed or saved on the way out
        assertThat(a1.waitFor(10, TimeUnit.SECONDS)).isTrue();

        List<Long> kept = recordsOnDisk(outbox);
        List<Long> unacknowledged = kept.stream().filter(ts -> !first.stored.contains(ts)).toList();
        assertThat(unacknowledged).isNotEmpty().isSorted();
        assertThat(unacknowledged).anyMatch(ts -> ts > away);

        FakeHub second = hub(first.port()); // the hub is back where it was
        agent(second, outbox, "agent-2.log");
        await("every snapshot the first hub lacked is stored after the restart (log: " + dir.resolve("agent-2.log") + ")",
                () -> second.stored.containsAll(unacknowledged));
        // Oldest first: the back-fill begins with what the dead agent kept (or a few acknowledged ones sent again).
        int firstMissing = second.stored.indexOf(unacknowledged.get(0));
        assertThat(second.stored.subList(firstMissing, firstMissing + unacknowledged.size())).isEqualTo(unacknowledged);
        assertThat(second.stored.subList(0, firstMissing)).allMatch(first.stored::contains);
    }

    @Test
    void anAgentWithTwoHubsMovesToTheSecondWhenTheFirstGoesAwayAndBackFillsThereWithoutDuplicates() throws Exception {
        Path outbox = dir.resolve("outbox");
        FakeHub first = hub(0);
        FakeHub second = hub(0);
        agent(first.url() + "," + second.url(), outbox, "agent.log");
        await("snapshots reach the first hub", () -> first.stored.size() >= 5);
        assertThat(second.connections).as("the agent starts on the first hub given").isZero();

        first.close(); // the first hub goes away: connections reset, new ones refused
        long away = System.currentTimeMillis();
        await("the agent moved to the second hub and its samples arrive there (log: " + dir.resolve("agent.log") + ")",
                () -> second.stored.stream().anyMatch(ts -> ts > away + 1_000));

        List<Long> all = new ArrayList<>(first.stored);
        for (Long ts : second.stored) if (!all.contains(ts)) all.add(ts);
        assertThat(second.stored).as("nothing sent twice to the second hub").doesNotHaveDuplicates();
        assertThat(all).as("every sample, stored on one hub or the other, in order").isSorted();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < all.size(); i++) if (all.get(i) - all.get(i - 1) > 1_000) gaps.add(all.get(i - 1));
        assertThat(gaps).as("no sample missing (200 ms interval) across the move (first hub %s, second %s)", first.stored, second.stored)
                .isEmpty();
        assertThat(log(dir.resolve("agent.log"))).contains("reconnecting to " + AgentSettings.agentUri(second.url()));
    }

    /** The ts of every whole record in the outbox's segments, read straight from the frames. */
    static List<Long> recordsOnDisk(Path outbox) {
        List<Long> out = new ArrayList<>();
        File[] files = outbox.toFile().listFiles((d, name) -> name.endsWith(DiskOutbox.SUFFIX));
        if (files == null) return out;
        Arrays.sort(files);
        for (File f : files) {
            try (DataInputStream in = new DataInputStream(new FileInputStream(f))) {
                while (true) {
                    int length = in.readInt();
                    in.readInt();
                    long ts = in.readLong();
                    in.readFully(new byte[length - 8]);
                    out.add(ts);
                }
            } catch (EOFException e) {
                // the end, or a record being written
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    static String log(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }
}
