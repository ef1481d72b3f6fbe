package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.flick.hub.FlickApplication;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What a crash leaves behind — raw rows committed with their minutes marked dirty, no rollup rows yet — is rolled up
 * on the next start, and the spool's records written before the stop are stored then too.
 */
class RollupRecoveryTest {

    private static ConfigurableApplicationContext start(Path dir) {
        return new SpringApplication(FlickApplication.class).run("--server.port=0", "--flick.data-dir=" + dir, "--flick.database-url=", "--flick.local-collector=false",
                "--logging.level.root=WARN");
    }

    @Test
    void minutesMarkedDirtyBeforeACrashAreRecomputedOnTheNextStart() throws Exception {
        Path dir = Files.createTempDirectory("flick-rollup-recovery");
        long minute = (System.currentTimeMillis() - 7_200_000L) / 60_000L * 60_000L;
        try (ConfigurableApplicationContext hub = start(dir)) {
            JdbcClient jdbc = hub.getBean(JdbcClient.class);
            jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES ('crashed', 'crashed', 'agent', 'offline', 0)").update();
            // What the writer commits in one transaction, as the hub died right after it.
            for (int s = 0; s < 60; s++) {
                var snap = RollupsContract.snap("crashed", minute + s * 1_000L, s, 100L + s);
                jdbc.sql("INSERT INTO metrics_snapshots (server_id, ts, cpu, mem_used, detail) VALUES ('crashed', ?, ?, ?, ?)")
                        .params(snap.ts(), (double) s, 100L + s, Deflate.compress(dev.flick.collector.SnapshotJson.write(snap))).update();
            }
            jdbc.sql("INSERT INTO rollup_dirty (server_id, ts) VALUES ('crashed', ?)").param(minute).update();
            // Stop before the writer's next tick could see the mark: the mark is all that survives.
        }
        try (ConfigurableApplicationContext hub = start(dir)) {
            JdbcClient jdbc = hub.getBean(JdbcClient.class);
            long deadline = System.currentTimeMillis() + 20_000;
            List<Long> samples = List.of();
            while (System.currentTimeMillis() < deadline) {
                samples = jdbc.sql("SELECT samples FROM metrics_1m WHERE server_id = 'crashed'").query(Long.class).list();
                if (!samples.isEmpty()) break;
                Thread.sleep(100);
            }
            assertThat(samples).containsExactly(60L);
            var row = jdbc.sql("SELECT cpu, cpu_min, cpu_max, mem_used_max FROM metrics_1m WHERE server_id = 'crashed'").query().singleRow();
            assertThat(((Number) row.get("cpu")).doubleValue()).isEqualTo(29.5);
            assertThat(((Number) row.get("cpu_min")).doubleValue()).isEqualTo(0.0);
            assertThat(((Number) row.get("cpu_max")).doubleValue()).isEqualTo(59.0);
            assertThat(((Number) row.get("mem_used_max")).doubleValue()).isEqualTo(159.0);
            assertThat(jdbc.sql("SELECT samples FROM metrics_1h WHERE server_id = 'crashed'").query(Long.class).list()).containsExactly(60L);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM rollup_dirty").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT samples FROM metrics_blocks WHERE server_id = 'crashed'").query(Long.class).list())
                    .as("the minute's rows moved into one block").containsExactly(60L);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM metrics_snapshots WHERE server_id = 'crashed'").query(Long.class).single()).isZero();
        }
    }
}
