package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;
import dev.flick.hub.FlickApplication;
import dev.flick.hub.PostgresSchema;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database written by the release before compact history (schema V7: one raw row per snapshot, rollups without
 * parts) keeps all its history when this hub starts on it: the raw rows become blocks and read back at 1 s, the old
 * rollup rows stay (on PostgreSQL inside the partition that now holds everything before the next boundary).
 */
class UpgradeToBlocksTest {

    private String schema;

    @AfterEach
    void drop() {
        if (schema != null) PostgresSchema.drop(schema);
    }

    @Test
    void sqliteHistoryOfTheEarlierLayoutIsCompactedAndStaysReadable() throws Exception {
        Path dir = Files.createTempDirectory("flick-upgrade");
        upgrade(new DriverManagerDataSource("jdbc:sqlite:" + dir.resolve("flick.db")), "sqlite", dir, "");
    }

    @Test
    void postgresHistoryOfTheEarlierLayoutIsCompactedAndStaysReadable() throws Exception {
        schema = PostgresSchema.create();
        String url = PostgresSchema.jdbcUrl(schema);
        upgrade(new DriverManagerDataSource(url), "postgresql", Files.createTempDirectory("flick-upgrade"), url);
    }

    private void upgrade(DriverManagerDataSource ds, String vendor, Path dir, String databaseUrl) throws Exception {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/" + vendor).target("7.1").load().migrate();
        JdbcClient old = JdbcClient.create(ds);
        old.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES ('old', 'old', 'agent', 'offline', 0)").update();
        long minute = (System.currentTimeMillis() - 3_600_000L) / 60_000L * 60_000L;
        // Two minutes of raw rows as the earlier writer stored them, and a minute row of a day before.
        for (int s = 0; s < 120; s++) {
            Snapshot snap = RollupsContract.snap("old", minute + s * 1_000L, s % 50, 1_000 + s);
            old.sql("INSERT INTO metrics_snapshots (server_id, ts, cpu, mem_used, mem_total, process_count, detail) VALUES (?, ?, ?, ?, ?, 3, ?)")
                    .params("old", snap.ts(), snap.cpu().usage(), snap.memory().used(), snap.memory().total(),
                            Deflate.compress(SnapshotJson.write(snap))).update();
        }
        long dayBefore = minute - 86_400_000L;
        old.sql("INSERT INTO metrics_1m (server_id, ts, samples, cpu, cpu_min, cpu_max) VALUES ('old', ?, 60, 12.5, 1, 40)").param(dayBefore).update();

        try (ConfigurableApplicationContext hub = new SpringApplication(FlickApplication.class).run("--server.port=0",
                "--flick.data-dir=" + dir, "--flick.database-url=" + databaseUrl, "--flick.local-collector=false", "--logging.level.root=WARN")) {
            JdbcClient jdbc = hub.getBean(JdbcClient.class);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && jdbc.sql("SELECT count(*) FROM rollup_dirty").query(Long.class).single() > 0) {
                Thread.sleep(50);
            }
            assertThat(jdbc.sql("SELECT count(*) FROM rollup_dirty").query(Long.class).single()).as("old minutes compacted").isZero();
            assertThat(jdbc.sql("SELECT samples FROM metrics_blocks WHERE server_id = 'old' ORDER BY ts").query(Long.class).list())
                    .containsExactly(60L, 60L);
            assertThat(jdbc.sql("SELECT count(*) FROM metrics_snapshots").query(Long.class).single()).isZero();

            History history = hub.getBean(History.class);
            List<java.util.Map<String, Object>> points = history.metrics("old", minute, minute + 120_000, 0).points();
            assertThat(points).hasSize(120);
            assertThat(points.get(7).get("ts")).isEqualTo(minute + 7_000);
            assertThat(((Number) points.get(7).get("cpu")).doubleValue()).isEqualTo(7.0);
            assertThat(((Number) points.get(7).get("memUsed")).longValue()).isEqualTo(1_007L);
            assertThat(points.get(7)).containsKey("cores");
            assertThat(history.processesAt("old", minute + 30_000)).get().extracting(History.ProcessesAt::ts).isEqualTo(minute + 30_000);
            // The earlier release's rollups are still there and answer a range older than raw retention's blocks.
            assertThat(jdbc.sql("SELECT cpu FROM metrics_1m WHERE server_id = 'old' AND ts = ?").param(dayBefore).query(Double.class).single())
                    .isEqualTo(12.5);
            assertThat(jdbc.sql("SELECT samples FROM metrics_1m WHERE server_id = 'old' AND ts = ?").param(minute).query(Long.class).single())
                    .isEqualTo(60L);
        }
    }
}
