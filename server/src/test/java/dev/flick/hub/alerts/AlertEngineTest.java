package dev.flick.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.flick.collector.Snapshot;

import org.junit.jupiter.api.Test;

class AlertEngineTest {

    static final String WEB = "web-1";
    static final long T0 = 1_764_150_000_000L;

    final List<Change> changes = new ArrayList<>();
    final AlertEngine engine = new AlertEngine(changes::add, 3_000);

    static AlertRule rule(String metric, String comparator, Double warning, Double critical, int durationSeconds) {
        return new AlertRule("r1", "test rule", metric, comparator, warning, critical, "warning", "critical", durationSeconds,
                null, null, null, null, List.of(), true, null, "u1", T0);
    }

    static AlertRule with(AlertRule r, Double margin, Integer repeatMinutes, Long mutedUntil, String mount, List<String> serverIds) {
        return new AlertRule(r.id(), r.name(), r.metric(), r.comparator(), r.warning(), r.critical(), r.warningLevel(),
                r.criticalLevel(), r.durationSeconds(), margin, mount, serverIds, repeatMinutes, r.channelIds(), r.enabled(),
                mutedUntil, r.ownerId(), r.createdAt());
    }

    static Snapshot cpu(String server, long ts, double usage) {
        return snapshot(server, ts, usage, List.of(new Snapshot.Disk("/", "/dev/vda", "ext4", 100, 10)));
    }

    static Snapshot snapshot(String server, long ts, double usage, List<Snapshot.Disk> disks) {
        return new Snapshot(server, ts,
                new Snapshot.Cpu(usage, usage, 0, 0, 0, new double[] {usage}, 0.5, 0.4, 0.3),
                new Snapshot.Memory(1000, 400, 600, 100, 0, 0),
                disks,
                new Snapshot.DiskIo(0, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()),
                new Snapshot.Processes(2, List.of(new Snapshot.Processes.Process(42, "burner", "root", 180.0, 1 << 20, "burner --all"),
                        new Snapshot.Processes.Process(1, "init", "root", 0.1, 1 << 10, "/sbin/init"))));
    }

    /** Feeds one CPU value per second from startSecond on. */
    void feed(int startSecond, double... values) {
        for (int i = 0; i < values.length; i++) {
            engine.evaluate(cpu(WEB, T0 + (startSecond + i) * 1000L, values[i]));
        }
    }

    <T extends Change> List<T> of(Class<T> type) {
        return changes.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void firesOnlyAfterTheConditionHeldForItsWholeDuration() {
        engine.rules(List.of(rule("cpu.usage", ">", 80.0, null, 10)));
        feed(0, 85, 85, 85, 85, 85, 70); // held 5 s, then broken: the clock starts again
        feed(6, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85);
        assertThat(changes).isEmpty();
        feed(16, 85);
        assertThat(changes).singleElement().isInstanceOfSatisfying(Change.Opened.class, o -> {
            assertThat(o.ts()).isEqualTo(T0 + 16_000);
            assertThat(o.level()).isEqualTo("warning");
            assertThat(o.value()).isEqualTo(85);
            assertThat(o.threshold()).isEqualTo(80);
            assertThat(o.tell()).isTrue();
            assertThat(o.evidence()).extracting(Snapshot.Processes.Process::name).containsExactly("burner", "init");
        });
    }

    @Test
    void recoveryMarginKeepsAValueHoveringAtTheThresholdFromFlapping() {
        engine.rules(List.of(with(rule("cpu.usage", ">", 80.0, null, 0), 5.0, null, null, null, null)));
        feed(0, 81, 79, 81, 77, 82, 76);
        assertThat(of(Change.Opened.class)).hasSize(1);
        assertThat(of(Change.Closed.class)).isEmpty();
        feed(6, 74.9);
        assertThat(of(Change.Closed.class)).singleElement().satisfies(c -> assertThat(c.tell()).isTrue());
    }

    @Test
    void withoutAMarginTheSameValuesFlap() {
        engine.rules(List.of(rule("cpu.usage", ">", 80.0, null, 0)));
        feed(0, 81, 79, 81, 77, 82, 76);
        assertThat(of(Change.Opened.class)).hasSize(3);
        assertThat(of(Change.Closed.class)).hasSize(3);
    }

    static String describe(Change c) {
        return c.getClass().getSimpleName() + ":" + switch (c) {
            case Change.Opened o -> o.level() + (o.tell() ? "!" : "");
            case Change.Leveled l -> l.level() + (l.tell() ? "!" : "");
            case Change.Reopened r -> r.level() + (r.tell() ? "!" : "");
            case Change.Closed c2 -> c2.tell() ? "told" : "quiet";
            case Change.Settled st -> "told";
            case Change.Due d -> d.reminder() ? "reminder" : "due";
        };
    }

    @Test
    void escalatesFromWarningToCriticalInPlaceAndBackDownThenResolvesInPlace() {
        engine.rules(List.of(rule("cpu.usage", ">", 80.0, 90.0, 3)));
        feed(0, 85, 85, 85, 85);            // warning after 3 s
        feed(4, 95, 95, 95);                // critical needs its own 3 s
        assertThat(of(Change.Opened.class)).extracting(Change.Opened::level).containsExactly("warning");
        feed(7, 95);
        feed(8, 85);                        // down a level at once
        feed(9, 50);                        // and resolved
        assertThat(changes).extracting(AlertEngineTest::describe)
                .containsExactly("Opened:warning!", "Leveled:critical!", "Leveled:warning", "Closed:told");
        assertThat(changes).extracting(Change::eventId).containsOnly(changes.get(0).eventId());
        Change.Leveled critical = of(Change.Leveled.class).get(0);
        assertThat(critical.stage()).isEqualTo(2);
        assertThat(critical.threshold()).isEqualTo(90);
        assertThat(critical.ts()).isEqualTo(T0 + 7_000);
    }

    @Test
    void eachLevelIsToldOncePerIncidentHoweverOftenItGoesUpAndDown() {
        engine.rules(List.of(rule("cpu.usage", ">", 80.0, 90.0, 0)));
        feed(0, 85, 95, 85, 95, 85, 95);
        assertThat(changes).extracting(AlertEngineTest::describe).containsExactly("Opened:warning!", "Leveled:critical!",
                "Leveled:warning", "Leveled:critical", "Leveled:warning", "Leveled:critical");
        assertThat(changes).extracting(Change::eventId).containsOnly(changes.get(0).eventId());
    }

    @Test
    void aFlappingRuleMakesOneIncidentAndABoundedNumberOfNotices() {
        List<Change> out = new ArrayList<>();
        AlertEngine calm = new AlertEngine(out::add, 3_000, (r, s) -> true, (r, s, ts) -> false, 300_000);
        calm.rules(List.of(rule("cpu.usage", ">", 80.0, null, 0)));
        // 17 minutes of a value crossing the threshold every 25 s (the 20 events and 40 notices).
        for (int second = 0; second < 17 * 60; second++) {
            calm.evaluate(cpu(WEB, T0 + second * 1000L, (second / 25) % 2 == 0 ? 85 : 40));
        }
        assertThat(out.stream().map(Change::eventId).distinct()).hasSize(1);
        assertThat(out.stream().filter(AlertEngineTest::tells)).as("only the first firing is told so far").hasSize(1);
        assertThat(out).filteredOn(Change.Reopened.class::isInstance).hasSizeGreaterThan(15);

        // Then it stays quiet for the cool-down: the resolve is told once, and the next problem is a new incident.
        long end = T0 + 17 * 60_000L;
        for (int second = 0; second <= 300; second += 10) calm.evaluate(cpu(WEB, end + second * 1000L, 40));
        assertThat(out).filteredOn(Change.Settled.class::isInstance).singleElement()
                .satisfies(st -> assertThat(st.eventId()).isEqualTo(out.get(0).eventId()));
        assertThat(out.stream().filter(AlertEngineTest::tells)).hasSize(2);
        calm.evaluate(cpu(WEB, end + 400_000, 85));
        assertThat(out.getLast()).isInstanceOfSatisfying(Change.Opened.class, o -> {
            assertThat(o.eventId()).isNotEqualTo(out.get(0).eventId());
            assertThat(o.tell()).isTrue();
        });
    }

    @Test
    void aReopenedIncidentIsToldOnlyAtALevelItHadNotReached() {
        List<Change> out = new ArrayList<>();
        AlertEngine calm = new AlertEngine(out::add, 3_000, (r, s) -> true, (r, s, ts) -> false, 60_000);
        calm.rules(List.of(rule("cpu.usage", ">", 80.0, 90.0, 0)));
        long t = T0;
        for (double v : new double[] {85, 40, 85, 40, 95, 40, 95}) {
            calm.evaluate(cpu(WEB, t, v));
            t += 5_000;
        }
        assertThat(out).extracting(AlertEngineTest::describe).containsExactly("Opened:warning!", "Closed:quiet",
                "Reopened:warning", "Closed:quiet", "Reopened:critical!", "Closed:quiet", "Reopened:critical");
    }

    @Test
    void aResolveNoSnapshotReachesIsToldByTheSweepAfterTheCoolDown() {
        List<Change> out = new ArrayList<>();
        AlertEngine calm = new AlertEngine(out::add, 3_000, (r, s) -> true, (r, s, ts) -> false, 60_000);
        calm.rules(List.of(rule("cpu.usage", ">", 80.0, null, 0)));
        calm.evaluate(cpu(WEB, T0, 85));
        calm.evaluate(cpu(WEB, T0 + 1_000, 40)); // and the server says nothing more
        calm.settleQuiet(T0 + 30_000);
        assertThat(out).noneMatch(Change.Settled.class::isInstance);
        calm.settleQuiet(T0 + 61_000);
        assertThat(out.getLast()).isInstanceOf(Change.Settled.class);
        calm.settleQuiet(T0 + 62_000);
        assertThat(out).filteredOn(Change.Settled.class::isInstance).hasSize(1);
    }

    @Test
    void aResolveWhileNobodyWasToldIsNotToldAfterTheCoolDownEither() {
        List<Change> out = new ArrayList<>();
        AlertEngine calm = new AlertEngine(out::add, 3_000, (r, s) -> true, (r, s, ts) -> false, 60_000);
        calm.rules(List.of(with(rule("cpu.usage", ">", 80.0, null, 0), null, null, T0 + 10_000, null, null)));
        calm.evaluate(cpu(WEB, T0, 85)); // muted
        calm.evaluate(cpu(WEB, T0 + 1_000, 40));
        calm.settleQuiet(T0 + 120_000);
        assertThat(out).extracting(AlertEngineTest::describe).containsExactly("Opened:warning", "Closed:quiet");
    }

    static boolean tells(Change c) {
        return switch (c) {
            case Change.Opened o -> o.tell();
            case Change.Leveled l -> l.tell();
            case Change.Reopened r -> r.tell();
            case Change.Closed cl -> cl.tell();
            case Change.Settled st -> true;
            case Change.Due d -> true;
        };
    }

    @Test
    void aValueBeyondCriticalGoesStraightToCriticalWithTheRulesOwnSeverity() {
        AlertRule r = rule("cpu.usage", ">", 80.0, 90.0, 0);
        engine.rules(List.of(new AlertRule(r.id(), r.name(), r.metric(), r.comparator(), r.warning(), r.critical(), "info",
                "warning", 0, null, null, null, null, List.of(), true, null, null, T0)));
        feed(0, 99);
        assertThat(of(Change.Opened.class)).singleElement().satisfies(o -> {
            assertThat(o.stage()).isEqualTo(2);
            assertThat(o.level()).isEqualTo("warning");
        });
    }

    @Test
    void lessThanRulesFireBelowAndRecoverAboveThresholdPlusMargin() {
        engine.rules(List.of(with(rule("cpu.usage", "<", 20.0, 10.0, 0), 2.0, null, null, null, null)));
        feed(0, 15, 21, 22.5);
        assertThat(of(Change.Opened.class)).extracting(Change.Opened::level).containsExactly("warning");
        assertThat(of(Change.Closed.class)).hasSize(1);
        assertThat(of(Change.Closed.class).get(0).ts()).isEqualTo(T0 + 2_000);
    }

    @Test
    void repeatsTheNotificationEveryRepeatIntervalWhileFiring() {
        engine.rules(List.of(with(rule("cpu.usage", ">", 80.0, null, 0), null, 1, null, null, null)));
        for (int s = 0; s <= 180; s += 10) feed(s, 90);
        assertThat(of(Change.Opened.class)).hasSize(1);
        assertThat(of(Change.Due.class)).extracting(Change.Due::ts).containsExactly(T0 + 60_000, T0 + 120_000, T0 + 180_000);
        assertThat(of(Change.Due.class)).allSatisfy(d -> assertThat(d.reminder()).isTrue());
    }

    @Test
    void aMutedRuleRecordsTheEventButTellsNobodyUntilTheMuteEnds() {
        engine.rules(List.of(with(rule("cpu.usage", ">", 80.0, null, 0), null, null, T0 + 30_000, null, null)));
        feed(0, 90);
        assertThat(of(Change.Opened.class)).singleElement().satisfies(o -> assertThat(o.tell()).isFalse());
        feed(10, 90);
        assertThat(of(Change.Due.class)).isEmpty();
        feed(30, 90);
        assertThat(of(Change.Due.class)).singleElement().satisfies(d -> {
            assertThat(d.reminder()).isFalse();
            assertThat(d.ts()).isEqualTo(T0 + 30_000);
        });
        feed(40, 90);
        assertThat(of(Change.Due.class)).hasSize(1);
    }

    @Test
    void aProblemThatEndsWhileMutedResolvesQuietly() {
        engine.rules(List.of(with(rule("cpu.usage", ">", 80.0, null, 0), null, null, T0 + 60_000, null, null)));
        feed(0, 90, 50);
        assertThat(of(Change.Closed.class)).singleElement().satisfies(c -> assertThat(c.tell()).isFalse());
    }

    @Test
    void offlineRuleFiresAfterTheServerIsSilentForItsDurationAndResolvesWhenDataReturns() {
        engine.rules(List.of(rule("server.offline", ">", null, null, 10)));
        long seen = T0;
        engine.checkSilence(WEB, seen, T0 + 2_000, null);   // within the 3 s grace
        engine.checkSilence(WEB, seen, T0 + 4_000, null);   // offline from here
        engine.checkSilence(WEB, seen, T0 + 13_000, null);
        assertThat(changes).isEmpty();
        engine.checkSilence(WEB, seen, T0 + 14_000, cpu(WEB, seen, 5));
        assertThat(of(Change.Opened.class)).singleElement().satisfies(o -> {
            assertThat(o.level()).isEqualTo("critical");
            assertThat(o.value()).isEqualTo(14.0);
            assertThat(o.evidence()).isNotEmpty();
        });
        engine.checkSilence(WEB, T0 + 15_000, T0 + 15_500, null);
        assertThat(of(Change.Closed.class)).hasSize(1);
    }

    @Test
    void diskRulesWatchEachMountOnItsOwnOrJustTheNamedOne() {
        AlertRule any = rule("disk.usage", ">", 80.0, null, 0);
        AlertRule root = new AlertRule("r2", "root", "disk.usage", ">", 80.0, null, "warning", "critical", 0, null, "/", null,
                null, List.of(), true, null, null, T0);
        engine.rules(List.of(any, root));
        List<Snapshot.Disk> dataFull = List.of(new Snapshot.Disk("/", "/dev/vda", "ext4", 100, 50),
                new Snapshot.Disk("/data", "/dev/vdb", "xfs", 100, 90));
        engine.evaluate(snapshot(WEB, T0, 10, dataFull));
        assertThat(of(Change.Opened.class)).singleElement().satisfies(o -> {
            assertThat(o.rule().id()).isEqualTo("r1");
            assertThat(o.mount()).isEqualTo("/data");
        });
        List<Snapshot.Disk> bothFull = List.of(new Snapshot.Disk("/", "/dev/vda", "ext4", 100, 85),
                new Snapshot.Disk("/data", "/dev/vdb", "xfs", 100, 90));
        engine.evaluate(snapshot(WEB, T0 + 1_000, 10, bothFull));
        assertThat(of(Change.Opened.class)).extracting(o -> o.rule().id() + o.mount()).containsExactly("r1/data", "r1/", "r2/");
    }

    @Test
    void rulesScopedToServersIgnoreOthers() {
        engine.rules(List.of(with(rule("cpu.usage", ">", 80.0, null, 0), null, null, null, null, List.of("db-1"))));
        engine.evaluate(cpu(WEB, T0, 99));
        assertThat(changes).isEmpty();
        engine.evaluate(cpu("db-1", T0, 99));
        assertThat(of(Change.Opened.class)).singleElement().satisfies(o -> assertThat(o.serverId()).isEqualTo("db-1"));
    }

    @Test
    void aRestartedEngineResumesFiringStateWithoutNotifyingAgain() {
        AlertRule r = with(rule("cpu.usage", ">", 80.0, 90.0, 0), null, 60, null, null, null);
        engine.rules(List.of(r));
        feed(0, 95);
        Change.Opened fired = of(Change.Opened.class).get(0);

        List<Change> after = new ArrayList<>();
        AlertEngine restarted = new AlertEngine(after::add, 3_000);
        restarted.rules(List.of(r));
        restarted.restore(List.of(new AlertEngine.Firing(r.id(), fired.eventId(), WEB, null, fired.stage(), fired.ts(), fired.ts(),
                fired.stage())));
        for (int s = 5; s < 60; s += 5) restarted.evaluate(cpu(WEB, T0 + s * 1000L, 95));
        assertThat(after).as("still firing, already notified: nothing new").isEmpty();
        restarted.evaluate(cpu(WEB, T0 + 70_000, 40));
        assertThat(after).singleElement().isInstanceOfSatisfying(Change.Closed.class, c -> {
            assertThat(c.eventId()).isEqualTo(fired.eventId());
            assertThat(c.tell()).isTrue();
        });
    }

    @Test
    void disablingARuleClosesItsOpenEventsQuietly() {
        AlertRule r = rule("cpu.usage", ">", 80.0, null, 0);
        engine.rules(List.of(r));
        feed(0, 95);
        engine.rules(List.of());
        assertThat(of(Change.Closed.class)).singleElement().satisfies(c -> assertThat(c.tell()).isFalse());
        feed(1, 95);
        assertThat(of(Change.Opened.class)).hasSize(1);
    }

    @Test
    void aLateBackfilledSnapshotDoesNotRewriteThePresent() {
        engine.rules(List.of(rule("cpu.usage", ">", 80.0, null, 0)));
        feed(10, 50);
        feed(5, 99);
        assertThat(changes).isEmpty();
    }
}
