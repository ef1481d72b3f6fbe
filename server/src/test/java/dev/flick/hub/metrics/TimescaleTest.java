package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import dev.flick.collector.Snapshot;
import dev.flick.hub.FlickApplication;
import dev.flick.hub.PostgresSchema;
import dev.flick.hub.config.Database;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The metrics layout on each PostgreSQL: plain PostgreSQL (the extension missing, or built and installed but not
 * preloaded, as on the shared cluster here) gets native partitions; a cluster that preloads TimescaleDB gets
 * hypertables with the retention policy put in force by the hub at start. The TimescaleDB cases run against the
 * cluster named by {@code FLICK_TEST_TIMESCALE} (a JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5433/test?user=postgres}):
 * the extension is not packaged by Debian, so only a machine where it was built has one (docs/storage.md says how).
 */
class TimescaleTest {

    static final String TIMESCALE_URL = System.getenv("FLICK_TEST_TIMESCALE");
    private static final long DAY = 86_400_000L;

    private String schema;
    private String timescaleSchema;

    @AfterEach
    void drop() throws Exception {
        if (schema != null) PostgresSchema.drop(schema);
        if (timescaleSchema != null) exec(TIMESCALE_URL, "DROP SCHEMA IF EXISTS " + timescaleSchema + " CASCADE");
    }

    @Test
    void plainPostgresGetsNativePartitionsWhenTheExtensionIsNotLoaded() {
        schema = PostgresSchema.create();
        DriverManagerDataSource ds = new DriverManagerDataSource(PostgresSchema.jdbcUrl(schema));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/postgresql").load().migrate();
        JdbcClient jdbc = JdbcClient.create(ds);
        Timescale timescale = new Timescale(Database.from(PostgresSchema.jdbcUrl(schema), Path.of(".")), jdbc);
        Assumptions.assumeFalse(jdbc.sql("SELECT current_setting('shared_preload_libraries') LIKE '%timescaledb%'").query(Boolean.class).single(),
                "this cluster preloads TimescaleDB: the hypertable test covers it");
        assertThat(timescale.available()).as("an extension listed but not preloaded cannot be used").isFalse();
        timescale.enableWhenAvailable();
        assertThat(timescale.active()).isFalse();
        Partitions partitions = new Partitions(Database.from(PostgresSchema.jdbcUrl(schema), Path.of(".")),
                new org.springframework.jdbc.core.JdbcTemplate(ds));
        assertThat(partitions.active()).isTrue();
        partitions.createAhead();
        assertThat(partitions.list(Partitions.Table.BLOCKS)).hasSizeGreaterThanOrEqualTo(3);
        long now = System.currentTimeMillis();
        assertThat(partitions.list(Partitions.Table.BLOCKS)).anyMatch(p -> p.from() <= now && now < p.to())
                .anyMatch(p -> p.from() > now);
        // A new database keeps no partition for an older release's rows: every partition is on the grid.
        assertThat(partitions.list(Partitions.Table.MINUTES)).allSatisfy(p -> assertThat(p.from() % Partitions.Table.MINUTES.width).isZero());
    }

    @Test
    void aFreshTimescaleDatabaseGetsHypertablesAndTheRetentionPolicyFromTheHubAtStart() throws Exception {
        Assumptions.assumeTrue(TIMESCALE_URL != null, "FLICK_TEST_TIMESCALE names no TimescaleDB cluster on this machine");
        exec(TIMESCALE_URL, "CREATE EXTENSION IF NOT EXISTS timescaledb");
        timescaleSchema = "flick_ts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        exec(TIMESCALE_URL, "CREATE SCHEMA " + timescaleSchema);
        String url = TIMESCALE_URL + (TIMESCALE_URL.contains("?") ? "&" : "?") + "currentSchema=" + timescaleSchema + ",public";
        Path dir = Files.createTempDirectory("flick-timescale");
        try (ConfigurableApplicationContext hub = new SpringApplication(FlickApplication.class).run("--server.port=0",
                "--flick.data-dir=" + dir, "--flick.database-url=" + url, "--flick.local-collector=false", "--logging.level.root=WARN")) {
            Timescale timescale = hub.getBean(Timescale.class);
            JdbcClient jdbc = hub.getBean(JdbcClient.class);
            assertThat(timescale.active()).isTrue();
            for (Object[] t : Timescale.HYPERTABLES) assertThat(timescale.isHypertable((String) t[0])).as((String) t[0]).isTrue();
            assertThat(hub.getBean(Partitions.class).active()).isFalse();
            // In force without anyone saving the retention settings: 14 days raw, 90 days of minutes, 2 years of hours.
            assertThat(timescale.retentionPolicy("metrics_blocks")).isEqualTo(14 * DAY);
            assertThat(timescale.retentionPolicy("metrics_1m")).isEqualTo(90 * DAY);
            assertThat(timescale.retentionPolicy("metrics_1h")).isEqualTo(730 * DAY);

            // Kept in step: a changed policy replaces the one in force.
            timescale.applyRetention(2 * DAY, 90 * DAY, 730 * DAY);
            assertThat(timescale.retentionPolicy("metrics_blocks")).isEqualTo(2 * DAY);

            // Blocks land in day chunks; the policy job drops whole chunks past the cutoff, and sizes count the chunks.
            jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES ('ts', 'ts', 'agent', 'offline', 0)").update();
            long minute = System.currentTimeMillis() / 60_000 * 60_000;
            byte[] block = SnapshotBlock.encode(List.of(RollupsContract.snap("ts", minute, 5, 5)));
            for (long ts : new long[] {minute - 10 * DAY, minute - 5 * DAY, minute}) {
                jdbc.sql("INSERT INTO metrics_blocks (server_id, ts, last_ts, samples, data) VALUES ('ts', ?, ?, 1, ?)").params(ts, ts, block).update();
            }
            assertThat(timescale.hypertableBytes("metrics_blocks")).as("chunks, not the empty parent").isGreaterThan(
                    jdbc.sql("SELECT pg_total_relation_size('metrics_blocks')").query(Long.class).single());
            Integer job = jdbc.sql("SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention' AND hypertable_name = 'metrics_blocks' AND hypertable_schema = current_schema()")
                    .query(Integer.class).single();
            jdbc.sql("CALL run_job(?)").param(job).update();
            assertThat(jdbc.sql("SELECT ts FROM metrics_blocks ORDER BY ts").query(Long.class).list()).containsExactly(minute);

            // The write path stores into the hypertables like anywhere else.
            Ingest ingest = hub.getBean(Ingest.class);
            for (int i = 0; i < 3; i++) ingest.accept(RollupsContract.snap("ts", minute - 3 * 60_000 + i * 1_000, 7, 7));
            long until = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < until
                    && jdbc.sql("SELECT count(*) FROM metrics_1m WHERE server_id = 'ts'").query(Long.class).single() == 0) {
                Thread.sleep(50);
            }
            assertThat(jdbc.sql("SELECT samples FROM metrics_blocks WHERE server_id = 'ts' AND ts = ?").param(minute - 3 * 60_000)
                    .query(Integer.class).single()).isEqualTo(3);
            Snapshot back = SnapshotBlock.decode("ts", jdbc.sql("SELECT data FROM metrics_blocks WHERE server_id = 'ts' AND ts = ?")
                    .param(minute - 3 * 60_000).query(byte[].class).single()).getFirst();
            assertThat(back.cpu().usage()).isEqualTo(7.0);
        }
    }

    private static void exec(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
