package dev.flick.hub.metrics;

import java.nio.file.Files;

import dev.flick.hub.PostgresSchema;
import dev.flick.hub.Requirements;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PostgresRollupsTest extends RollupsContract {

    @BeforeAll
    static void requirePostgres() {
        Requirements.postgres();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws Exception {
        String schema = PostgresSchema.create();
        String dir = Files.createTempDirectory("flick-rollups-pg").toString();
        registry.add("flick.data-dir", () -> dir);
        registry.add("flick.database-url", () -> PostgresSchema.jdbcUrl(schema));
        registry.add("flick.local-collector", () -> "false");
    }
}
