package dev.flick.hub;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SqliteHubFlowTest extends HubFlowContract {

    @DynamicPropertySource
    static void sqlite(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-sqlite-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> FlowSettings.INTERVAL_MS + "ms");
    }
}
