package dev.flick.hub.metrics;

import java.nio.file.Files;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SqliteRollupsTest extends RollupsContract {

    @DynamicPropertySource
    static void sqlite(DynamicPropertyRegistry registry) throws Exception {
        String dir = Files.createTempDirectory("flick-rollups").toString();
        registry.add("flick.data-dir", () -> dir);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
    }
}
