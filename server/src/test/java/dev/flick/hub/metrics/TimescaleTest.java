package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import dev.flick.hub.PostgresSchema;
import dev.flick.hub.config.Database;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Runs the TimescaleDB path where the extension is installed; our machines cannot install it. */
class TimescaleTest {

    private String schema;

    @AfterEach
    void drop() {
        if (schema != null) PostgresSchema.drop(schema);
    }

    private JdbcClient migratedSchema() {
        schema = PostgresSchema.create();
        DriverManagerDataSource ds = new DriverManagerDataSource(PostgresSchema.jdbcUrl(schema));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/postgresql").load().migrate();
        return JdbcClient.create(ds);
    }

    @Test
    void plainPostgresKeepsPlainTablesWhenTheExtensionIsMissing() {
        JdbcClient jdbc = migratedSchema();
        Timescale timescale = new Timescale(Database.from(PostgresSchema.jdbcUrl(schema), Path.of(".")), jdbc);
        Assumptions.assumeFalse(timescale.available(), "timescaledb is installed here: the hypertable test covers it");
        timescale.enableWhenAvailable();
        assertThat(jdbc.sql("SELECT count(*) FROM metrics_snapshots").query(Long.class).single()).isZero();
    }

    @Test
    void metricsTablesBecomeHypertablesWhenTheExtensionIsAvailable() {
        JdbcClient jdbc = migratedSchema();
        Timescale timescale = new Timescale(Database.from(PostgresSchema.jdbcUrl(schema), Path.of(".")), jdbc);
        Assumptions.assumeTrue(timescale.available(), "the timescaledb extension is not installable on this machine");
        timescale.enableWhenAvailable();
        for (Object[] t : Timescale.HYPERTABLES) {
            assertThat(timescale.isHypertable((String) t[0])).as((String) t[0]).isTrue();
        }
    }
}
