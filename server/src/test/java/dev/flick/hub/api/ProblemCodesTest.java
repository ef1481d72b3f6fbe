package dev.flick.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Problem bodies over real HTTP carry a stable code and its parameters beside the English detail, and every field
 * error its own code, so the client can say them in its user's language.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ProblemCodesTest {

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-problem-codes-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        registry.add("flick.auth.login-attempts", () -> "2");
        registry.add("flick.auth.login-attempts-per-ip", () -> "1000");
    }

    @LocalServerPort
    int port;

    @Test
    void problemsCarryCodesParamsAndFieldCodesBesideTheEnglishDetail() {
        HubClient hub = new HubClient(port);
        String admin = hub.admin();

        HubClient.Response wrong = hub.post("/api/v1/auth/login", "{\"email\":\"nobody@example.com\",\"password\":\"not this one\"}", null);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("code").asString()).isEqualTo("auth.wrong_credentials");
        assertThat(wrong.json().path("detail").asString()).isEqualTo("Wrong email or password");
        assertThat(wrong.json().path("params").isObject()).isTrue();

        hub.post("/api/v1/auth/login", "{\"email\":\"nobody@example.com\",\"password\":\"not this one\"}", null);
        HubClient.Response throttled = hub.post("/api/v1/auth/login", "{\"email\":\"nobody@example.com\",\"password\":\"not this one\"}", null);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.json().path("code").asString()).isEqualTo("auth.throttled");
        long seconds = throttled.json().path("params").path("seconds").asLong();
        assertThat(seconds).isPositive();
        assertThat(throttled.headers().firstValue("Retry-After")).contains(Long.toString(seconds));
        assertThat(throttled.json().path("detail").asString()).contains(seconds + " s");

        HubClient.Response weak = hub.post("/api/v1/users", "{\"email\":\"weak@example.com\",\"role\":\"member\",\"password\":\"short\"}", admin);
        assertThat(weak.status()).isEqualTo(400);
        JsonNode weakBody = weak.json();
        assertThat(weakBody.path("code").asString()).isEqualTo("invalid_fields");
        JsonNode field = weakBody.path("errors").get(0);
        assertThat(field.path("field").asString()).isEqualTo("password");
        assertThat(field.path("code").asString()).isEqualTo("too_short");
        assertThat(field.path("params").path("min").asInt()).isPositive();
        assertThat(field.path("message").asString()).startsWith("must be at least");

        HubClient.Response badRole = hub.post("/api/v1/users",
                "{\"email\":\"role@example.com\",\"role\":\"owner\",\"password\":\"correct horse battery\"}", admin);
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().path("errors").get(0).path("field").asString()).isEqualTo("role");
        assertThat(badRole.json().path("errors").get(0).path("code").asString()).isEqualTo("invalid");

        HubClient.Response missing = hub.get("/api/v1/servers/does-not-exist", admin);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("code").asString()).isEqualTo("not_found");

        HubClient.Response notJson = hub.post("/api/v1/users", "{not json", admin);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("code").asString()).isEqualTo("invalid_json");
        assertThat(notJson.body()).doesNotContain("Exception").doesNotContain("at dev.flick");
    }
}
