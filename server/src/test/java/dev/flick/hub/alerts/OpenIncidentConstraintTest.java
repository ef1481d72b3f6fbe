package dev.flick.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import dev.flick.hub.PostgresSchema;
import dev.flick.hub.Requirements;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** V15 on both databases: older duplicate open events are closed, and a second open incident per track is refused. */
class OpenIncidentConstraintTest {

    @Test
    void sqliteKeepsOneOpenIncidentPerRuleServerAndMount() throws Exception {
        Path dir = Files.createTempDirectory("flick-incidents");
        check("jdbc:sqlite:" + dir.resolve("flick.db"), null, "", "sqlite");
    }

    @Test
    void postgresqlKeepsOneOpenIncidentPerRuleServerAndMount() throws Exception {
        Requirements.postgres();
        String schema = PostgresSchema.create();
        try {
            check(PostgresSchema.jdbcUrl(schema), Requirements.POSTGRES_USER, "", "postgresql");
        } finally {
            PostgresSchema.drop(schema);
        }
    }

    private static void check(String url, String user, String password, String vendor) throws SQLException {
        Flyway before = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration/" + vendor)
                .target(lastBefore15(vendor)).load();
        before.migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            // What an older hub could leave behind: two open events for one track, one for another mount.
            s.execute(insert("old", "/", 1_000));
            s.execute(insert("new", "/", 2_000));
            s.execute(insert("data", "/data", 1_500));
        }
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration/" + vendor).load().migrate();
        storesAnIncidentsChangesInPlace(url, user, password);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT id, state, peak_level FROM alert_events WHERE server_id = 's1' ORDER BY id");
            StringBuilder rows = new StringBuilder();
            while (rs.next()) rows.append(rs.getString(1)).append('=').append(rs.getString(2)).append('/').append(rs.getString(3)).append(' ');
            assertThat(rows.toString().trim()).isEqualTo("data=firing/warning new=firing/warning old=resolved/warning");

            assertThatThrownBy(() -> s.execute(insert("again", "/", 3_000))).isInstanceOf(SQLException.class)
                    .hasMessageContaining("alert_events_one_open");
            s.execute("UPDATE alert_events SET state = 'resolved', resolved_at = 3000 WHERE id = 'new'");
            s.execute(insert("again", "/", 3_000)); // once resolved, the next incident may open
            s.execute(insertWholeServer("cpu-1", 1));
            assertThatThrownBy(() -> s.execute(insertWholeServer("cpu-2", 2))).isInstanceOf(SQLException.class)
                    .as("a whole-server metric (no mount) counts as one track").hasMessageContaining("alert_events_one_open");
        }
    }

    /** The recorder's statements on this database: one row goes up, down, resolves and re-opens. */
    private static void storesAnIncidentsChangesInPlace(String url, String user, String password) {
        var ds = new org.springframework.jdbc.datasource.DriverManagerDataSource(url, user, password);
        var jdbc = org.springframework.jdbc.core.simple.JdbcClient.create(ds);
        var events = new EventRepository(jdbc, tools.jackson.databind.json.JsonMapper.builder().build());
        AlertRule rule = AlertEngineTest.rule("cpu.usage", ">", 80.0, 90.0, 0);
        events.insert(new Change.Opened(rule, "inc", "s9", null, 1, "warning", 85, 80, 1_000, java.util.List.of(), java.util.List.of(), true));
        events.level(new Change.Leveled(rule, "inc", "s9", 2, "critical", 95, 90, 2_000, true));
        events.level(new Change.Leveled(rule, "inc", "s9", 1, "warning", 85, 80, 3_000, false));
        events.resolve("inc", 4_000, 40);
        events.reopen(new Change.Reopened(rule, "inc", "s9", 1, "warning", 86, 80, 5_000, false));
        AlertEvent e = events.find("inc").orElseThrow();
        assertThat(e.state()).isEqualTo("firing");
        assertThat(e.level()).isEqualTo("warning");
        assertThat(e.peakLevel()).isEqualTo("critical");
        assertThat(e.reopens()).isEqualTo(1);
        assertThat(e.resolvedAt()).isNull();
        assertThat(e.notifiedAt()).isEqualTo(2_000);
        assertThat(e.history()).extracting(AlertEvent.Step::level).containsExactly("warning", "critical", "warning", "resolved", "warning");
        assertThat(events.firing()).filteredOn(f -> f.eventId().equals("inc")).singleElement()
                .satisfies(f -> assertThat(f.toldStage()).isEqualTo(2));
        assertThat(events.find(new EventRepository.Filter(java.util.List.of("firing"), java.util.List.of("warning", "critical"),
                java.util.List.of("s9"), java.util.List.of("r1"), 0, Long.MAX_VALUE / 2, 10))).extracting(AlertEvent::id).containsExactly("inc");
        events.resolve("inc", 6_000, 10);
    }

    /** The newest migration before V15 (whatever other work has added meanwhile). */
    private static String lastBefore15(String vendor) {
        try (var files = Files.list(Path.of(OpenIncidentConstraintTest.class.getResource("/db/migration/" + vendor).toURI()))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9_]+__.*"))
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.'))
                    .map(org.flywaydb.core.api.MigrationVersion::fromVersion)
                    .filter(v -> v.isNewerThan("15") == false && !v.equals(org.flywaydb.core.api.MigrationVersion.fromVersion("15")))
                    .max(Comparable::compareTo).orElseThrow().getVersion();
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String insert(String id, String mount, long startedAt) {
        return "INSERT INTO alert_events (id, rule_id, server_id, metric, mount, level, stage, state, started_at) VALUES ('%s', 'r1', 's1', 'disk.usage', '%s', 'warning', 1, 'firing', %d)"
                .formatted(id, mount, startedAt);
    }

    private static String insertWholeServer(String id, long startedAt) {
        return "INSERT INTO alert_events (id, rule_id, server_id, metric, level, stage, state, started_at) VALUES ('%s', 'r2', 's1', 'cpu.usage', 'warning', 1, 'firing', %d)"
                .formatted(id, startedAt);
    }
}
