package dev.flick.hub.config;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);

    @Bean
    Database database(FlickSettings settings, DataDir dataDir) {
        Database db = Database.from(settings.databaseUrl(), dataDir.root());
        if (db.sqliteFile() != null) DataDir.createPrivate(db.sqliteFile()); // else SQLite creates it with the umask's mode
        log.info("Storage: {}", db.describe());
        return db;
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(Database db) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("flick");
        // With the database away, callers (REST, health) get an answer within seconds instead of Hikari's 30.
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setJdbcUrl(db.jdbcUrl());
        if (db.username() != null) config.setUsername(db.username());
        if (db.password() != null) config.setPassword(db.password());
        if (db.dialect() == Database.Dialect.SQLITE) {
            // One file, one writer at a time: a few connections for concurrent readers are plenty. Idle ones are
            // closed after a minute (each holds its own page cache and schema), so a quiet hub keeps one or two.
            config.setMaximumPoolSize(6);
            config.setMinimumIdle(1);
            config.setIdleTimeout(60_000);
        } else {
            config.setMaximumPoolSize(12);
            // Turns the writer's JDBC batches into multi-row INSERTs: several times the rows per second.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            // A cut network must end a statement, not hang it until TCP gives up (minutes): the writer then retries.
            config.addDataSourceProperty("connectTimeout", "5");
            config.addDataSourceProperty("socketTimeout", "60");
            config.addDataSourceProperty("tcpKeepAlive", "true");
        }
        return new HikariDataSource(config);
    }
}
