package dev.flick.hub.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.flick.hub.HubClient;
import dev.flick.hub.Requirements;
import dev.flick.hub.metrics.Ingest;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Remote write against a real Prometheus 2.x receiver: snapshots fed through the real ingest path arrive as series
 * with the right values and labels, and those fed while Prometheus is down arrive once it is back, none dropped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RemoteWritePrometheusTest {

    static PrometheusServer prometheus;

    @LocalServerPort
    int port;
    @Autowired
    Ingest ingest;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-remote-write-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        registry.add("flick.remote-write.max-backoff", () -> "1s");
    }

    @BeforeAll
    static void startPrometheus() throws Exception {
        Requirements.prometheusServer();
        prometheus = new PrometheusServer();
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) prometheus.close();
    }

    @Test
    void storedSnapshotsArriveWithTheirLabelsAndAnOutageIsBackFilled() throws Exception {
        HubClient client = new HubClient(port);
        String token = client.admin();
        String id = client.post("/api/v1/servers", "{\"name\":\"db-1\",\"mode\":\"agent\"}", token).json().get("id").asString();
        HubClient.Response put = client.put("/api/v1/settings/remote-write", "{\"url\":\"" + prometheus.writeUrl()
                + "\",\"bearerToken\":\"s3cret-token\",\"basicUsername\":\"\",\"extraLabels\":{\"env\":\"test\"}}", token);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).doesNotContain("s3cret-token");
        assertThat(put.json().get("hasBearerToken").asBoolean()).isTrue();

        long base = System.currentTimeMillis() - 600_000;
        for (int i = 0; i < 60; i++) ingest.accept(RemoteWriteRequestTest.snapshot(id, base + i * 1000L, i));
        long last = base + 59_000;
        String series = "flick_cpu_usage_percent{server_id=\"" + id + "\"}";
        Awaitility.await("first 60 samples in Prometheus").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> count(series, last) == 60);
        JsonNode at = prometheus.query(series, last).get(0);
        assertThat(at.get("value").get(1).asString()).isEqualTo("59");
        assertThat(at.get("metric").get("server").asString()).isEqualTo("db-1");
        assertThat(at.get("metric").get("job").asString()).isEqualTo("flick");
        assertThat(at.get("metric").get("env").asString()).isEqualTo("test");
        JsonNode mem = prometheus.query("node_memory_MemTotal_bytes{server_id=\"" + id + "\"}", last).get(0);
        assertThat(mem.get("value").get(1).asString()).isEqualTo("8000000000");

        prometheus.stop();
        // Half of the outage comes the way an agent's snapshots do (acceptKept): every stored snapshot is forwarded.
        for (int i = 60; i < 90; i++) ingest.accept(RemoteWriteRequestTest.snapshot(id, base + i * 1000L, i));
        for (int i = 90; i < 120; i++) ingest.acceptKept(RemoteWriteRequestTest.snapshot(id, base + i * 1000L, i)).get();
        Awaitility.await("the outage seen").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonNode s = status(client, token);
                    return s.path("lastError").asString("").contains("Cannot reach") && s.get("queuedSamples").asLong() > 0;
                });
        assertThat(status(client, token).get("lagMs").asLong()).isPositive();

        prometheus.start();
        long end = base + 119_000;
        Awaitility.await("the outage's samples in Prometheus").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> count(series, end) == 120);
        assertThat(prometheus.query(series, end).get(0).get("value").get(1).asString()).isEqualTo("119");
        Awaitility.await("queue empty").atMost(Duration.ofSeconds(30)).until(() -> status(client, token).get("queuedSamples").asLong() == 0);
        JsonNode s = status(client, token);
        assertThat(s.get("droppedSamples").asLong()).isZero();
        assertThat(s.get("rejectedSamples").asLong()).isZero();
        assertThat(s.get("sentSamples").asLong()).isPositive();
    }

    @Test
    void settingsAreCheckedAndSecretsNeverComeBack() {
        HubClient client = new HubClient(port);
        String token = client.admin();
        HubClient.Response bad = client.put("/api/v1/settings/remote-write",
                "{\"url\":\"ftp://x/\",\"extraLabels\":{\"server\":\"x\",\"__n\":\"y\"}}", token);
        assertThat(bad.status()).isEqualTo(400);
        java.util.List<String> fields = new java.util.ArrayList<>();
        bad.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).contains("url", "extraLabels");
        HubClient.Response both = client.put("/api/v1/settings/remote-write", "{\"url\":\"" + prometheus.writeUrl()
                + "\",\"bearerToken\":\"a\",\"basicUsername\":\"u\",\"basicPassword\":\"p\"}", token);
        assertThat(both.status()).isEqualTo(400);
        HubClient.Response basic = client.put("/api/v1/settings/remote-write", "{\"url\":\"" + prometheus.writeUrl()
                + "\",\"bearerToken\":\"\",\"basicUsername\":\"u\",\"basicPassword\":\"pass-w0rd-secret\"}", token);
        assertThat(basic.status()).as(basic.body()).isEqualTo(200);
        HubClient.Response read = client.get("/api/v1/settings/remote-write", token);
        assertThat(read.body()).doesNotContain("pass-w0rd-secret").doesNotContain("s3cret-token");
        assertThat(read.json().get("hasBasicPassword").asBoolean()).isTrue();
        assertThat(read.json().get("hasBearerToken").asBoolean()).isFalse();
        assertThat(client.get("/api/v1/settings/remote-write", null).status()).isEqualTo(401);
    }

    private static long count(String series, long at) throws Exception {
        JsonNode r = prometheus.query("count_over_time(" + series + "[15m])", at + 1);
        return r.isEmpty() ? 0 : Long.parseLong(r.get(0).get("value").get(1).asString());
    }

    private static JsonNode status(HubClient client, String token) {
        return client.get("/api/v1/settings/remote-write", token).json().get("status");
    }
}
