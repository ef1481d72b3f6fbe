package dev.flick.hub.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.Database;
import dev.flick.hub.metrics.Ingest;
import dev.flick.hub.metrics.Partitions;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The retention job on millions of generated rows: removes what is older than the policy — on SQLite exactly the
 * blocks and rows past it, on PostgreSQL every partition wholly past it — keeps the rest, and does not hold up ingest
 * while it runs.
 */
abstract class RetentionJobContract {

    static final long DAY = 86_400_000L;
    static final int SERVERS = 4;
    static final int BLOCKS_PER_SERVER = 20 * 1_440; // twenty days of minute blocks
    static final int LOG_LINES = 600_000;          // sixty days

    @Autowired RetentionJob job;
    @Autowired JdbcClient jdbc;
    @Autowired Database db;
    @Autowired Ingest ingest;
    @Autowired Partitions partitions;
    @Autowired javax.sql.DataSource dataSource;

    @Test
    void removesExactlyWhatIsOlderThanThePolicyWithoutHoldingUpIngest() throws Exception {
        long now = System.currentTimeMillis() / 60_000 * 60_000;
        partitions.ensureRange(now - 200 * DAY, now);
        for (int s = 0; s < SERVERS; s++) {
            String id = "ret-" + s;
            jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, ?, 'agent', 'offline', 0)").params(id, id).update();
            generate("metrics_blocks (server_id, ts, last_ts, samples, data)", "?, ? + x * 60000, ? + x * 60000 + 59000, 60, X'00'",
                    BLOCKS_PER_SERVER, id, now - BLOCKS_PER_SERVER * 60_000L);
            generate("metrics_1m (server_id, ts, samples, cpu)", "?, ? + x * 60000, 60, 1.0", 200 * 1440, id, now - 200 * DAY);
        }
        generate("logs (ts, source, level, message)", "? + x * 8640, 'syslog', 'info', 'line'", LOG_LINES, null, now - 60 * DAY);
        long rawCutoff = now - RetentionPolicy.DEFAULTS.raw().toMillis();
        long minuteCutoff = now - RetentionPolicy.DEFAULTS.minute().toMillis();
        long logCutoff = now - RetentionPolicy.DEFAULTS.logs().toMillis();
        long keepRaw = count("metrics_blocks WHERE server_id LIKE 'ret-%' AND ts >= " + rawCutoff);
        long keepMinute = count("metrics_1m WHERE server_id LIKE 'ret-%' AND ts >= " + minuteCutoff);
        long keepLogs = count("logs WHERE source = 'syslog' AND ts >= " + logCutoff);
        long total = count("metrics_blocks") + count("metrics_1m") + count("logs");
        assertThat(total).as("rows generated").isGreaterThan(1_500_000);

        // Ingest keeps running for a server of its own while the job deletes.
        jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES ('live', 'live', 'agent', 'offline', 0)").update();
        AtomicInteger accepted = new AtomicInteger();
        AtomicLong maxBacklog = new AtomicLong();
        Thread feeder = Thread.ofPlatform().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                ingest.accept(snapshot("live", System.currentTimeMillis()));
                accepted.incrementAndGet();
                maxBacklog.accumulateAndGet(ingest.stats().backlog(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long droppedBefore = ingest.stats().dropped();
        long t0 = System.nanoTime();
        long removed = job.run(now);
        double seconds = (System.nanoTime() - t0) / 1e9;
        feeder.interrupt();
        feeder.join();

        if (partitions.active()) {
            // Whole partitions go: only the one holding the cutoff may keep older rows, and every partition left
            // reaches past the cutoff.
            assertThat(partitions.list(Partitions.Table.BLOCKS)).isNotEmpty().allSatisfy(p -> assertThat(p.to()).isGreaterThan(rawCutoff));
            assertThat(partitions.list(Partitions.Table.MINUTES)).allSatisfy(p -> assertThat(p.to()).isGreaterThan(minuteCutoff));
            assertThat(count("metrics_blocks WHERE ts < " + Math.floorDiv(rawCutoff, Partitions.Table.BLOCKS.width) * Partitions.Table.BLOCKS.width)).isZero();
            assertThat(count("metrics_1m WHERE ts < " + Math.floorDiv(minuteCutoff, Partitions.Table.MINUTES.width) * Partitions.Table.MINUTES.width)).isZero();
            assertThat(job.droppedPartitions()).isPositive();
        } else {
            // A block goes once its whole minute is past the cutoff.
            assertThat(count("metrics_blocks WHERE server_id LIKE 'ret-%' AND ts + 60000 <= " + rawCutoff)).isZero();
            assertThat(count("metrics_1m WHERE server_id LIKE 'ret-%' AND ts < " + minuteCutoff)).isZero();
            assertThat(removed).as("blocks, minute rows and log lines removed").isGreaterThan(900_000);
        }
        assertThat(count("metrics_blocks WHERE server_id LIKE 'ret-%' AND ts >= " + rawCutoff)).isEqualTo(keepRaw);
        assertThat(count("metrics_1m WHERE server_id LIKE 'ret-%' AND ts >= " + minuteCutoff)).isEqualTo(keepMinute);
        assertThat(count("logs WHERE source = 'syslog'")).isEqualTo(keepLogs);

        var stored = dev.flick.hub.faults.StoredHistory.of(dataSource);
        for (int i = 0; i < 100 && stored.timestamps("live").size() < accepted.get(); i++) Thread.sleep(100);
        assertThat(stored.timestamps("live")).as("every snapshot accepted during the run is stored").hasSize(accepted.get());
        assertThat(ingest.stats().dropped()).isEqualTo(droppedBefore);
        System.out.printf("retention on %s: %d rows removed in %.1f s; %d snapshots ingested meanwhile, writer backlog max %d%n",
                db.dialect(), removed, seconds, accepted.get(), maxBacklog.get());
        assertThat(maxBacklog.get()).as("the writer never fell a second behind").isLessThan(100);
    }

    private void generate(String into, String select, int n, String serverId, long start) {
        List<Object> params = serverId == null ? List.of(start) : select.indexOf('?', select.indexOf('?', select.indexOf('?') + 1) + 1) > 0
                ? List.of(serverId, start, start) : List.of(serverId, start);
        if (db.dialect() != Database.Dialect.SQLITE) select = select.replace("X'00'", "'\\x00'::bytea");
        String sql = db.dialect() == Database.Dialect.SQLITE
                ? "WITH RECURSIVE seq(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM seq WHERE x < " + (n - 1) + ") "
                        + "INSERT INTO " + into + " SELECT " + select + " FROM seq"
                : "INSERT INTO " + into + " SELECT " + select + " FROM generate_series(0::bigint, " + (n - 1) + ") AS x";
        jdbc.sql(sql).params(params).update();
    }

    private long count(String fromWhere) {
        return jdbc.sql("SELECT count(*) FROM " + fromWhere).query(Long.class).single();
    }

    static Snapshot snapshot(String id, long ts) {
        return new Snapshot(id, ts, new Snapshot.Cpu(5, 5, 0, 0, 0, new double[] {5}, 0, 0, 0),
                new Snapshot.Memory(100, 50, 50, 0, 0, 0), List.of(), new Snapshot.DiskIo(0, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()), new Snapshot.Processes(0, List.of()));
    }
}
