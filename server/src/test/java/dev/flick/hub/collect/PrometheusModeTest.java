package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.flick.hub.HubClient;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flick.hub.Requirements;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** A prometheus-mode server against Debian's node_exporter on loopback: nothing installed, snapshots from its metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PrometheusModeTest {

    static Process nodeExporter;
    static int exporterPort;
    static Path log;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-prometheus-mode-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> "1s");
        registry.add("flick.local-collector", () -> "false");
    }

    @BeforeAll
    static void startNodeExporter() throws Exception {
        Requirements.nodeExporter();
        exporterPort = freePort();
        log = Files.createTempFile("node-exporter", ".log");
        nodeExporter = new ProcessBuilder(Requirements.NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + exporterPort)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("node_exporter up").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> {
                    if (!nodeExporter.isAlive()) throw new IllegalStateException("node_exporter exited: " + Files.readString(log));
                    return http.send(HttpRequest.newBuilder(URI.create(metricsUrl())).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200;
                });
    }

    @AfterAll
    static void stopNodeExporter() throws Exception {
        if (nodeExporter != null) {
            nodeExporter.destroy();
            nodeExporter.waitFor();
        }
    }

    static String metricsUrl() {
        return "http://127.0.0.1:" + exporterPort + "/metrics";
    }

    @Test
    void scrapesNodeExporterIntoSnapshots() throws Exception {
        HubClient client = new HubClient(port);
        String token = client.admin();
        HubClient.Response refused = client.post("/api/v1/servers",
                "{\"name\":\"n\",\"mode\":\"prometheus\",\"url\":\"" + metricsUrl() + "\"}", token);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("url");
        assertThat(refused.body()).contains("loopback");
        assertThat(client.post("/api/v1/servers", "{\"name\":\"n\",\"mode\":\"prometheus\"}", token).status()).isEqualTo(400);
        assertThat(client.post("/api/v1/servers", "{\"name\":\"n\",\"mode\":\"prometheus\",\"url\":\"ftp://x/\"}", token).status())
                .isEqualTo(400);

        HubClient.Response created = client.post("/api/v1/servers", "{\"name\":\"exporter\",\"mode\":\"prometheus\",\"url\":\""
                + "http://127.0.0.1:" + exporterPort + "\",\"allowLoopback\":true}", token);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.json().get("url").asString()).isEqualTo(metricsUrl());
        assertThat(created.json().get("mode").asString()).isEqualTo("prometheus");

        Awaitility.await("two snapshots (rates need a delta)").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    JsonNode s = client.get("/api/v1/servers/" + id, token).json();
                    return "online".equals(s.path("status").asString("")) && s.path("latest").path("cpu").path("usage").asDouble() > 0;
                });
        JsonNode server = client.get("/api/v1/servers/" + id, token).json();
        JsonNode latest = server.get("latest");
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double memTotal = Exposition.parse(metrics).value("node_memory_MemTotal_bytes", -1);
        assertThat(latest.get("memory").get("total").asLong()).isEqualTo((long) memTotal);
        assertThat(latest.get("cpu").get("usage").asDouble()).isBetween(0.0, 100.0);
        assertThat(latest.get("cpu").get("cores").size()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(latest.get("disks").size()).isPositive();
        assertThat(latest.get("processes").get("count").asInt()).isZero();
        assertThat(latest.get("processes").get("top").size()).isZero();
        assertThat(server.get("info").get("hostname").asString()).isEqualTo(InetAddress.getLocalHost().getHostName());

        int closed = freePort();
        HubClient.Response moved = client.patch("/api/v1/servers/" + id, "{\"url\":\"http://127.0.0.1:" + closed
                + "/metrics\",\"allowLoopback\":true}", token);
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        Awaitility.await("a readable reason").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.get("/api/v1/servers/" + id, token).json().path("statusReason").asString("").contains("Connection refused"));
        JsonNode failing = client.get("/api/v1/servers/" + id, token).json();
        assertThat(failing.get("status").asString()).isEqualTo("error");
        assertThat(failing.get("statusReason").asString()).contains("127.0.0.1:" + closed);
    }

    @Test
    void whatIsNotANodeExporterOrRefusesIsNamedAsSuch() throws Exception {
        HubClient client = new HubClient(port);
        String token = client.admin();
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/html", x -> answer(x, 200, "<html><body>hello</body></html>"));
        other.createContext("/app", x -> answer(x, 200, "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 12\n"));
        other.createContext("/secret", x -> answer(x, 401, "no"));
        other.start();
        try {
            String base = "http://127.0.0.1:" + other.getAddress().getPort();
            expectReason(client, token, base + "/html", "Not a node_exporter: the answer is not in the Prometheus text format (line 1");
            expectReason(client, token, base + "/app", "not like a node_exporter");
            expectReason(client, token, base + "/secret", "refused the request: HTTP 401");
        } finally {
            other.stop(0);
        }
    }

    private static void expectReason(HubClient client, String token, String url, String reason) {
        HubClient.Response r = client.post("/api/v1/servers", "{\"name\":\"other\",\"mode\":\"prometheus\",\"url\":\"" + url
                + "\",\"allowLoopback\":true}", token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String id = r.json().get("id").asString();
        Awaitility.await(reason).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.get("/api/v1/servers/" + id, token).json().path("statusReason").asString("").contains(reason));
        assertThat(client.get("/api/v1/servers/" + id, token).json().get("statusReason").asString()).doesNotContain("hello");
    }

    private static void answer(HttpExchange x, int code, String body) throws java.io.IOException {
        byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        x.sendResponseHeaders(code, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
