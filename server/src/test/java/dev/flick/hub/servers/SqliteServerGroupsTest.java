package dev.flick.hub.servers;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SqliteServerGroupsTest extends ServerGroupsContract {

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-groups-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> "250ms");
    }
}
