package dev.flick.hub;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PostgresHubFlowTest extends HubFlowContract {

    static String schema;

    @BeforeAll
    static void requirePostgres() {
        Requirements.postgres();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws Exception {
        schema = PostgresSchema.create();
        Path dir = Files.createTempDirectory("flick-pg-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> PostgresSchema.jdbcUrl(schema));
        registry.add("flick.interval", () -> FlowSettings.INTERVAL_MS + "ms");
    }
}
