package dev.flick.hub.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;

import dev.flick.collector.Snapshot;
import dev.flick.hub.HubClient;
import dev.flick.hub.Requirements;
import dev.flick.hub.live.LiveHub;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real Prometheus scrapes the hub's /metrics every second with an API token: its PromQL answers agree with the
 * hub's live snapshot, the main queries of Grafana's "Node Exporter Full" dashboard give sensible values, and the
 * scrape fails with 401 once the token is revoked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class PrometheusScrapeTest {

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-prometheus-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> "500ms");
    }

    @BeforeAll
    static void needsPrometheus() {
        Requirements.prometheus();
    }

    static Process prometheus;

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    LiveHub live;

    final HttpClient http = HttpClient.newHttpClient();
    String promBase;

    @Test
    void prometheusScrapesTheHubWithATokenUntilItIsRevoked() throws Exception {
        HubClient hub = new HubClient(port);
        String admin = hub.admin();
        String localId = null;
        String localName = null;
        for (JsonNode s : hub.get("/api/v1/servers", admin).json()) {
            if ("local".equals(s.path("mode").asString())) {
                localId = s.path("id").asString();
                localName = s.path("name").asString();
            }
        }
        assertThat(localId).isNotNull();
        JsonNode created = hub.post("/api/v1/tokens", "{\"name\":\"prometheus\",\"scope\":\"read\"}", admin).json();
        String token = created.path("token").asString();

        int promPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            promPort = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("flick-prometheus");
        Path config = dir.resolve("prometheus.yml");
        // metric_relabel_configs: one hub target carries many servers; dashboards pick a host by instance.
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: flick
                    scrape_interval: 1s
                    scrape_timeout: 900ms
                    metrics_path: /metrics
                    authorization:
                      credentials: %s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                    metric_relabel_configs:
                      - source_labels: [server]
                        target_label: instance
                """.formatted(token, port));
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        prometheus = new ProcessBuilder(Requirements.PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        promBase = "http://127.0.0.1:" + promPort;

        String sel = "{server_id=\"" + localId + "\"}";
        waitFor(Duration.ofSeconds(60), () -> value("node_memory_MemTotal_bytes" + sel).isPresent(), dir);
        Snapshot snap = live.latest(localId).orElseThrow();
        assertThat(value("node_memory_MemTotal_bytes" + sel).getAsDouble()).isEqualTo((double) snap.memory().total());
        assertThat(value("count(count by (cpu) (node_cpu_seconds_total" + sel + "))").getAsDouble())
                .isEqualTo(snap.cpu().cores().length);

        // rate() needs a few scrapes; the modes of each CPU add up to the seconds that passed.
        // rate() over a window the series does not yet fill under-reports (its extrapolation stops near the first sample).
        waitFor(Duration.ofSeconds(60), () -> value("min(count_over_time(node_cpu_seconds_total" + sel + "[10s]))").orElse(0) >= 8, dir);
        double perCpu = value("avg(sum by (cpu) (rate(node_cpu_seconds_total" + sel + "[5s])))").orElseThrow();
        assertThat(perCpu).as("per cpu %s; by mode %s; snapshot ts deriv %s",
                get("/api/v1/query?query=" + URLEncoder.encode("sum by (cpu) (rate(node_cpu_seconds_total" + sel + "[5s]))", StandardCharsets.UTF_8)),
                get("/api/v1/query?query=" + URLEncoder.encode("sum by (mode) (rate(node_cpu_seconds_total" + sel + "[5s]))", StandardCharsets.UTF_8)),
                get("/api/v1/query?query=" + URLEncoder.encode("deriv(flick_snapshot_timestamp_seconds" + sel + "[5s])", StandardCharsets.UTF_8)))
                .isBetween(0.85, 1.15);
        double promBusy = 100 * value("sum(rate(node_cpu_seconds_total{server_id=\"" + localId + "\",mode!~\"idle|iowait\"}[5s])) / "
                + "count(count by (cpu) (node_cpu_seconds_total" + sel + "))").orElseThrow();
        double hubBusy = recentUsage(localId);
        assertThat(promBusy).isBetween(0.0, 100.0);
        assertThat(Math.abs(promBusy - hubBusy)).as("prometheus %.1f%% vs hub %.1f%%", promBusy, hubBusy).isLessThan(25.0);

        // The main panels of Grafana's Node Exporter Full (1860), with instance and job as its variables set them.
        String node = "instance=\"" + localName.replace("\\", "\\\\").replace("\"", "\\\"") + "\",job=\"flick\"";
        assertThat(value("count(node_uname_info{job=\"flick\"})").orElseThrow()).isGreaterThanOrEqualTo(1);
        double cpuBusy = value("100 * (1 - avg(rate(node_cpu_seconds_total{mode=\"idle\"," + node + "}[5s])))").orElseThrow();
        assertThat(cpuBusy).isBetween(0.0, 100.0);
        double ramUsed = value("(1 - (node_memory_MemAvailable_bytes{" + node + "} / node_memory_MemTotal_bytes{" + node + "})) * 100")
                .orElseThrow();
        Snapshot now = live.latest(localId).orElseThrow();
        assertThat(ramUsed).isCloseTo(100.0 * now.memory().used() / now.memory().total(), org.assertj.core.data.Offset.offset(5.0));
        assertThat(value("sum(rate(node_network_receive_bytes_total{" + node + "}[5s])*8)").orElseThrow()).isGreaterThanOrEqualTo(0);
        assertThat(value("sum(rate(node_cpu_seconds_total{" + node + ",mode=\"system\"}[5s])) / scalar(count(count(node_cpu_seconds_total{"
                + node + "}) by (cpu)))").orElseThrow()).isBetween(0.0, 1.0);
        if (!now.diskIo().devices().isEmpty()) {
            assertThat(value("sum(rate(node_disk_read_bytes_total{" + node + "}[5s]))").orElseThrow()).isGreaterThanOrEqualTo(0);
        }
        if (!now.disks().isEmpty()) {
            Snapshot.Disk d = now.disks().get(0);
            String m = "mountpoint=\"" + d.mount() + "\",fstype!=\"rootfs\"";
            double fsUsed = value("100 - ((node_filesystem_avail_bytes{" + node + "," + m + "} * 100) / node_filesystem_size_bytes{"
                    + node + "," + m + "})").orElseThrow();
            assertThat(fsUsed).isCloseTo(100.0 * d.used() / d.total(), org.assertj.core.data.Offset.offset(2.0));
        }
        if (now.memory().swapTotal() > 0) {
            assertThat(value("((node_memory_SwapTotal_bytes{" + node + "} - node_memory_SwapFree_bytes{" + node + "}) / "
                    + "(node_memory_SwapTotal_bytes{" + node + "})) * 100").orElseThrow()).isBetween(0.0, 100.0);
        }

        // Revoked: the very next scrape is refused.
        assertThat(hub.delete("/api/v1/tokens/" + created.path("id").asString(), admin).status()).isEqualTo(204);
        waitFor(Duration.ofSeconds(30), () -> {
            JsonNode t = get("/api/v1/targets").path("data").path("activeTargets").get(0);
            return t != null && "down".equals(t.path("health").asString()) && t.path("lastError").asString().contains("401");
        }, dir);
        waitFor(Duration.ofSeconds(30), () -> value("up{job=\"flick\"}").orElse(-1) == 0, dir);
    }

    /** The hub's own CPU usage over the last few seconds, from its live ring. */
    double recentUsage(String serverId) {
        long since = System.currentTimeMillis() - 5_000;
        List<LiveHub.Buffered> recent = live.replay(serverId, since);
        double sum = 0;
        int n = 0;
        for (LiveHub.Buffered b : recent) {
            JsonNode cpu = HubClient.JSON.readTree(b.json()).path("cpu");
            if (cpu.isMissingNode()) continue;
            sum += cpu.path("usage").asDouble();
            n++;
        }
        return n == 0 ? live.latest(serverId).orElseThrow().cpu().usage() : sum / n;
    }

    OptionalDouble value(String promql) {
        JsonNode result = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data").path("result");
        if (!result.isArray() || result.isEmpty()) return OptionalDouble.empty();
        String v = result.get(0).path("value").get(1).asString();
        double d = Double.parseDouble(v);
        return Double.isNaN(d) ? OptionalDouble.empty() : OptionalDouble.of(d);
    }

    JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(promBase + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return HubClient.JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            return HubClient.JSON.createObjectNode(); // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void waitFor(Duration timeout, BooleanSupplier condition, Path promDir) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!prometheus.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + timeout + "; prometheus log:\n"
                        + Files.readString(promDir.resolve("prometheus.log")));
            }
            Thread.sleep(200);
        }
    }
}
