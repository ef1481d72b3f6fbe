package dev.flick.hub.servers;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.flick.hub.PostgresSchema;
import dev.flick.hub.Requirements;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PostgresServerGroupsTest extends ServerGroupsContract {

    @BeforeAll
    static void requirePostgres() {
        Requirements.postgres();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws Exception {
        String schema = PostgresSchema.create();
        Path dir = Files.createTempDirectory("flick-groups-pg-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> PostgresSchema.jdbcUrl(schema));
        registry.add("flick.interval", () -> "250ms");
    }
}
