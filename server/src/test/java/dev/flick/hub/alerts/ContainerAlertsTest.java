package dev.flick.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.flick.collector.Snapshot;
import dev.flick.collector.Snapshot.Container.Health;
import dev.flick.collector.Snapshot.Container.State;

import org.junit.jupiter.api.Test;

/** Container rules: stopped, unhealthy and restarting more than N times in M minutes, per container. */
class ContainerAlertsTest {

    static final long T0 = AlertEngineTest.T0;
    final List<Change> changes = new ArrayList<>();
    final AlertEngine engine = new AlertEngine(changes::add, 3_000);

    static Snapshot with(long ts, Snapshot.Container... containers) {
        return AlertEngineTest.cpu("web-1", ts, 5).withContainers(List.of(containers));
    }

    static Snapshot.Container container(String name, State state, Health health, int restarts) {
        return new Snapshot.Container("0123456789ab", name, "nginx:1", state, health, restarts, T0 - 60_000, 1, 1 << 20, 0, 0, 0, 0, 0, 1);
    }

    private List<Change.Opened> opened() {
        return changes.stream().filter(Change.Opened.class::isInstance).map(Change.Opened.class::cast).toList();
    }

    @Test
    void aStoppedContainerFiresAfterTheDurationAndResolvesWhenItRunsAgain() {
        engine.rules(List.of(AlertEngineTest.rule("container.stopped", ">", 0.0, null, 10)));
        engine.evaluate(with(T0, container("db", State.RUNNING, Health.NONE, 0), container("web", State.RUNNING, Health.NONE, 0)));
        engine.evaluate(with(T0 + 1_000, container("db", State.EXITED, Health.NONE, 0), container("web", State.RUNNING, Health.NONE, 0)));
        engine.evaluate(with(T0 + 6_000, container("db", State.EXITED, Health.NONE, 0), container("web", State.RUNNING, Health.NONE, 0)));
        assertThat(opened()).isEmpty();
        engine.evaluate(with(T0 + 11_000, container("db", State.EXITED, Health.NONE, 0), container("web", State.RUNNING, Health.NONE, 0)));
        assertThat(opened()).singleElement().satisfies(o -> {
            assertThat(o.mount()).isEqualTo("db");
            assertThat(o.value()).isEqualTo(1);
            assertThat(o.evidence()).isNotEmpty();
        });
        engine.evaluate(with(T0 + 12_000, container("db", State.RUNNING, Health.NONE, 0), container("web", State.RUNNING, Health.NONE, 0)));
        assertThat(changes).last().isInstanceOf(Change.Closed.class);
    }

    @Test
    void anUnhealthyContainerFiresForThatContainerOnlyWhenTheRuleNamesIt() {
        engine.rules(List.of(AlertEngineTest.with(AlertEngineTest.rule("container.unhealthy", ">", 0.0, null, 0), null, null, null, "web", null)));
        engine.evaluate(with(T0, container("db", State.RUNNING, Health.UNHEALTHY, 0), container("web", State.RUNNING, Health.HEALTHY, 0)));
        assertThat(opened()).isEmpty();
        engine.evaluate(with(T0 + 1_000, container("db", State.RUNNING, Health.UNHEALTHY, 0), container("web", State.RUNNING, Health.UNHEALTHY, 0)));
        assertThat(opened()).singleElement().satisfies(o -> assertThat(o.mount()).isEqualTo("web"));
    }

    @Test
    void restartsAreCountedOverTheWindowAndTheAlertEndsWhenTheLoopStops() {
        // More than 3 restarts within 5 minutes: durationSeconds is the window.
        engine.rules(List.of(AlertEngineTest.rule("container.restarts", ">", 3.0, null, 300)));
        long ts = T0;
        for (int restarts = 0; restarts <= 3; restarts++) {
            engine.evaluate(with(ts, container("loop", State.RUNNING, Health.NONE, restarts)));
            ts += 30_000;
        }
        assertThat(opened()).isEmpty();
        engine.evaluate(with(ts, container("loop", State.RESTARTING, Health.NONE, 4)));
        assertThat(opened()).singleElement().satisfies(o -> {
            assertThat(o.value()).isEqualTo(4);
            assertThat(o.mount()).isEqualTo("loop");
        });
        // Quiet for longer than the window: the count over the window falls to 0 and the alert resolves.
        engine.evaluate(with(ts + 301_000, container("loop", State.RUNNING, Health.NONE, 4)));
        assertThat(changes).last().isInstanceOf(Change.Closed.class);
    }

    @Test
    void slowRestartsSpreadOverHoursNeverFire() {
        engine.rules(List.of(AlertEngineTest.rule("container.restarts", ">", 2.0, null, 600)));
        for (int restarts = 0; restarts < 20; restarts++) {
            engine.evaluate(with(T0 + restarts * 3_600_000L, container("cron", State.RUNNING, Health.NONE, restarts)));
        }
        assertThat(opened()).isEmpty();
    }

    @Test
    void hostsWithoutContainersAreLeftAlone() {
        engine.rules(List.of(AlertEngineTest.rule("container.stopped", ">", 0.0, null, 0)));
        engine.evaluate(AlertEngineTest.cpu("web-1", T0, 5));
        assertThat(changes).isEmpty();
    }
}
