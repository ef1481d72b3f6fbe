package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.flick.collector.Snapshot.Container;
import dev.flick.collector.Snapshot.Container.Health;
import dev.flick.collector.Snapshot.Container.State;
import dev.flick.collector.containers.ContainerCollector;
import dev.flick.collector.containers.UnixSocketTransport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The containers collector against a real Podman engine (its Docker-compatible API), sampling once a second. */
class ContainerCollectorTest {

    private static TestPodman podman;

    @BeforeAll
    static void engine() throws Exception {
        podman = new TestPodman();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (podman != null) podman.close();
    }

    private static Optional<Container> find(List<Container> list, String name) {
        return list == null ? Optional.empty() : list.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Samples until the container named satisfies the condition, as a collector at a 1 s interval would. */
    private static Container sampleUntil(ContainerCollector collector, String name, java.util.function.Predicate<Container> ok,
                                         Duration within) {
        Container[] seen = new Container[1];
        await().atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
            seen[0] = find(collector.sample(), name).orElse(null);
            return seen[0] != null && ok.test(seen[0]);
        });
        return seen[0];
    }

    @Test
    void aStartedContainerIsSeenWithinTwoSecondsAndItsCpuRisesWhenItBurns() throws Exception {
        ContainerCollector collector = new ContainerCollector(new UnixSocketTransport(podman.socket), true);
        assertThat(collector.sample()).isNotNull();
        podman.run("flick-burn", TestPodman.IMAGE, "sh", "-c", "yes > /dev/null");
        long started = System.nanoTime();
        Container first = sampleUntil(collector, "flick-burn", c -> c.state() == State.RUNNING, Duration.ofSeconds(2));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(first.image()).contains("local/bb");
        assertThat(first.id()).hasSize(12);
        assertThat(first.startedAt()).isPositive();

        // The machine is shared (load 10+ on two cores is common), so "burning" means well above an idle one.
        Container burning = sampleUntil(collector, "flick-burn", c -> c.cpu() > 5, Duration.ofSeconds(15));
        assertThat(burning.cpu()).isBetween(5.0, 210.0);
        assertThat(burning.pids()).isGreaterThanOrEqualTo(1);
        assertThat(burning.memory()).isPositive();
        assertThat(burning.health()).isEqualTo(Health.NONE);
    }

    @Test
    void aStoppedContainerShowsAsExitedNotGone() throws Exception {
        ContainerCollector collector = new ContainerCollector(new UnixSocketTransport(podman.socket), true);
        podman.run("flick-stopme", TestPodman.IMAGE, "sleep", "300");
        sampleUntil(collector, "flick-stopme", c -> c.state() == State.RUNNING, Duration.ofSeconds(5));
        assertThat(collector.sample()).filteredOn(c -> c.name().equals("flick-stopme")).singleElement()
                .satisfies(c -> assertThat(c.cpu()).isLessThan(2.0));
        podman.stop("flick-stopme");
        Container stopped = sampleUntil(collector, "flick-stopme", c -> c.state() == State.EXITED, Duration.ofSeconds(5));
        assertThat(stopped.cpu()).isZero();
        assertThat(stopped.pids()).isZero();
    }

    @Test
    void aFailingHealthCheckShowsAsUnhealthy() throws Exception {
        ContainerCollector collector = new ContainerCollector(new UnixSocketTransport(podman.socket), true);
        podman.run("flick-sick", "--health-cmd", "false", "--health-retries", "1", "--health-interval", "1s",
                TestPodman.IMAGE, "sleep", "300");
        sampleUntil(collector, "flick-sick", c -> c.state() == State.RUNNING, Duration.ofSeconds(5));
        podman.healthcheck("flick-sick");
        Container sick = sampleUntil(collector, "flick-sick", c -> c.health() == Health.UNHEALTHY, Duration.ofSeconds(5));
        assertThat(sick.state()).isEqualTo(State.RUNNING);
    }

    @Test
    void aRestartLoopCountsItsRestarts() throws Exception {
        ContainerCollector collector = new ContainerCollector(new UnixSocketTransport(podman.socket), true);
        podman.run("flick-loop", "--restart", "always", TestPodman.IMAGE, "sh", "-c", "sleep 0.3; exit 1");
        Container looping = sampleUntil(collector, "flick-loop", c -> c.restarts() >= 3, Duration.ofSeconds(30));
        assertThat(looping.restarts()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theEngineStatsGiveTheSameKindOfNumbersWhereCgroupFilesAreOutOfReach() throws Exception {
        ContainerCollector collector = new ContainerCollector(new UnixSocketTransport(podman.socket), false);
        podman.run("flick-burn-remote", TestPodman.IMAGE, "sh", "-c", "yes > /dev/null");
        Container burning = sampleUntil(collector, "flick-burn-remote", c -> c.cpu() > 5, Duration.ofSeconds(15));
        assertThat(burning.memory()).isPositive();
        assertThat(burning.pids()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void noEngineIsNoSectionRatherThanAnError() throws Exception {
        ContainerCollector collector = new ContainerCollector(new UnixSocketTransport(podman.dir.resolve("absent.sock")), true);
        assertThat(collector.sample()).isNull();
    }
}
