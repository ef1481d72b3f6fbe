package dev.flick.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.flick.hub.HubClient;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The installable web client as the hub serves it: entry points revalidated, hashed assets cached for good. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebClientServingTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-web-serving-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
    }

    @Test
    void entryPointsAreRevalidatedAndHashedAssetsAreImmutable() {
        HubClient hub = new HubClient(port);

        HubClient.Response index = hub.get("/", null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("<link rel=\"manifest\" href=\"./manifest.webmanifest\"");
        assertThat(index.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-cache"));
        assertThat(index.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(v -> assertThat(v).contains("worker-src 'self'").contains("manifest-src 'self'"));

        HubClient.Response sw = hub.get("/sw.js", null);
        assertThat(sw.status()).isEqualTo(200);
        assertThat(sw.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("javascript"));
        assertThat(sw.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(sw.body()).contains("flick-shell-");

        HubClient.Response manifest = hub.get("/manifest.webmanifest", null);
        assertThat(manifest.status()).isEqualTo(200);
        assertThat(manifest.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("manifest+json"));
        assertThat(manifest.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(manifest.json().path("display").asString()).isEqualTo("standalone");

        Matcher script = Pattern.compile("src=\"\\./(assets/index-[^\"]+\\.js)\"").matcher(index.body());
        assertThat(script.find()).as("index.html links its hashed script").isTrue();
        HubClient.Response asset = hub.get("/" + script.group(1), null);
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("max-age=31536000").contains("immutable").contains("public"));

        HubClient.Response icon = hub.get("/icon-512.png", null);
        assertThat(icon.status()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(icon.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age=86400"));
    }

    @Test
    void theApiIsNeverCachedAsPartOfTheShell() {
        HubClient.Response status = new HubClient(port).get("/api/v1/auth/status", null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    }
}
