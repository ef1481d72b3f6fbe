package dev.flick.hub.remotewrite;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.flick.hub.HubClient;
import dev.flick.hub.Requirements;

import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/** Debian's Prometheus on a loopback port with the remote-write receiver on; its storage survives a restart. */
final class PrometheusServer implements AutoCloseable {

    final int port;
    final Path dir;
    final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    PrometheusServer() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        dir = Files.createTempDirectory("flick-prometheus");
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
        log = dir.resolve("prometheus.log");
        start();
    }

    String writeUrl() {
        return "http://127.0.0.1:" + port + "/api/v1/write";
    }

    void start() {
        try {
            process = new ProcessBuilder(Requirements.PROMETHEUS.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-remote-write-receiver", "--storage.tsdb.retention.time=1d")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Awaitility.await("Prometheus ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    if (!process.isAlive()) throw new IllegalStateException("Prometheus exited:\n" + Files.readString(log));
                    return get("/-/ready").statusCode() == 200;
                });
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    /** An instant query's result vector. */
    JsonNode query(String promql, long atMillis) throws Exception {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + (atMillis / 1000.0));
        JsonNode body = HubClient.JSON.readTree(r.body());
        if (!"success".equals(body.path("status").asString(""))) throw new IllegalStateException(r.body());
        return body.get("data").get("result");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        if (process != null) stop();
    }
}
