package dev.flick.hub.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.flick.collector.Snapshot;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of {@link AlertEngine#evaluate} per snapshot on the ingest path, with 100 rules covering every metric
 * kind (disk rules on each of 4 mounts). "quiet": nothing crosses; "firing": every rule is firing and stays so
 * (the steady state of a bad day: no transitions, only checks). Lives in the engine's package to reach it.
 * Run: bench/alerts-engine.sh
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AlertEngineBench {

    static final String[] METRICS = {"cpu.usage", "memory.usage", "swap.usage", "disk.usage", "cpu.load1", "cpu.load5",
            "cpu.load15", "network.rxBps", "network.txBps", "diskIo.readBps", "diskIo.writeBps"};

    @Param({"quiet", "firing"})
    String state;

    @Param({"100"})
    int rules;

    AlertEngine engine;
    Snapshot snapshot;
    long ts = 1_764_150_000_000L;
    long changes;

    @Setup(Level.Trial)
    public void setUp() {
        boolean firing = "firing".equals(state);
        engine = new AlertEngine(c -> changes++, 3_000);
        List<AlertRule> list = new ArrayList<>();
        for (int i = 0; i < rules; i++) {
            String metric = METRICS[i % METRICS.length];
            double warn = firing ? 0.001 : (metric.endsWith("usage") ? 95 : 1e12);
            list.add(new AlertRule("r" + i, "rule " + i, metric, ">", warn, firing ? null : warn + 1, "warning", "critical", 30,
                    2.0, null, i % 7 == 0 ? List.of("bench-server", "other") : null, 60, List.of(), true, null, null, 0));
        }
        engine.rules(list);
        snapshot = new Snapshot("bench-server", ts,
                new Snapshot.Cpu(42.0, 30, 10, 1, 0, new double[] {40, 44}, 1.5, 1.2, 1.0),
                new Snapshot.Memory(16L << 30, 6L << 30, 10L << 30, 2L << 30, 4L << 30, 1L << 30),
                List.of(new Snapshot.Disk("/", "/dev/vda1", "ext4", 100L << 30, 40L << 30),
                        new Snapshot.Disk("/var", "/dev/vda2", "ext4", 50L << 30, 20L << 30),
                        new Snapshot.Disk("/data", "/dev/vdb", "xfs", 500L << 30, 300L << 30),
                        new Snapshot.Disk("/boot", "/dev/vda3", "ext4", 1L << 30, 200L << 20)),
                new Snapshot.DiskIo(1e6, 2e6, List.of()),
                new Snapshot.Network(3e5, 1e5, List.of()),
                new Snapshot.Processes(200, List.of()));
        // Settle into the steady state (fired once, past its duration) before measuring.
        for (int i = 0; i < 100; i++) step();
    }

    private Snapshot step() {
        ts += 1_000;
        Snapshot s = snapshot.withTs(ts);
        engine.evaluate(s);
        return s;
    }

    @Benchmark
    public void evaluate(Blackhole bh) {
        bh.consume(step());
    }
}
