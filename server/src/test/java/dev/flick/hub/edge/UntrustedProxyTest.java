package dev.flick.hub.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import dev.flick.hub.HubClient;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With FLICK_TRUSTED_PROXIES naming only some other network, the loopback client these requests come from is not a
 * proxy: its forwarded headers are ignored — no Secure cookie, no HSTS, and the throttle counts its own address.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class UntrustedProxyTest {

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        String dir = Files.createTempDirectory("flick-untrusted-proxy").toString();
        registry.add("flick.data-dir", () -> dir);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        registry.add("flick.edge.trusted-proxies", () -> "192.0.2.0/24");
        registry.add("flick.auth.login-attempts-per-ip", () -> "2");
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> login(String password, String email, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}"));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardedHeadersFromAnUntrustedAddressAreIgnored() throws Exception {
        new HubClient(port).admin();
        HttpResponse<String> spoofed = login("correct horse battery", "admin@example.com",
                "X-Forwarded-Proto", "https", "X-Forwarded-For", "198.51.100.7", "Forwarded", "for=198.51.100.8;proto=https");
        assertThat(spoofed.statusCode()).isEqualTo(200);
        assertThat(spoofed.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContainIgnoringCase("; Secure");
        assertThat(spoofed.headers().firstValue("Strict-Transport-Security")).isEmpty();
        // A fresh forwarded address per attempt does not buy fresh attempts: the throttle sees 127.0.0.1 every time.
        for (int i = 0; i < 2; i++) {
            assertThat(login("wrong " + i, "guess" + i + "@example.com", "X-Forwarded-For", "203.0.113." + i).statusCode()).isEqualTo(401);
        }
        assertThat(login("wrong", "guess9@example.com", "X-Forwarded-For", "203.0.113.99").statusCode()).isEqualTo(429);
    }
}
