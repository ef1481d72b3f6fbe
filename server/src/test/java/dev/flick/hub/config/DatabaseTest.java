package dev.flick.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void blankUrlMeansEmbeddedSqliteInTheDataDirWithWal() {
        Database db = Database.from("", Path.of("/var/lib/flick"));
        assertThat(db.dialect()).isEqualTo(Database.Dialect.SQLITE);
        assertThat(db.jdbcUrl()).startsWith("jdbc:sqlite:/var/lib/flick/flick.db?").contains("journal_mode=WAL");
    }

    @Test
    void seedStylePostgresUrlBecomesJdbcWithSeparateCredentials() {
        Database db = Database.from("postgresql://flick:s%40cret@db.internal:6543/flickdb?sslmode=require", Path.of("."));
        assertThat(db.dialect()).isEqualTo(Database.Dialect.POSTGRESQL);
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/flickdb?sslmode=require");
        assertThat(db.username()).isEqualTo("flick");
        assertThat(db.password()).isEqualTo("s@cret");
        assertThat(db.describe()).doesNotContain("s@cret").doesNotContain("sslmode");
    }

    @Test
    void jdbcFormIsAcceptedAsIs() {
        Database db = Database.from("jdbc:postgresql://127.0.0.1:5432/test", Path.of("."));
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
        assertThat(Database.from("postgres://localhost/x", Path.of(".")).jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/x");
    }

    @Test
    void unknownSchemeIsRefusedWithoutEchoingSecrets() {
        assertThatThrownBy(() -> Database.from("mysql://root:hunter2@host/db", Path.of(".")))
                .hasMessageContaining("DATABASE_URL").hasMessageNotContaining("hunter2");
    }

    @Test
    void dialectSeamNamesTheScalarMinAndMax() {
        assertThat(Database.from("", Path.of(".")).least("a", "b")).isEqualTo("min(a, b)");
        assertThat(Database.from("postgres://h/d", Path.of(".")).greatest("a", "b")).isEqualTo("GREATEST(a, b)");
    }
}
