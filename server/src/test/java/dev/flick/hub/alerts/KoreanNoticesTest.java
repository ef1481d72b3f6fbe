package dev.flick.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;

import dev.flick.hub.HubClient;
import dev.flick.hub.LiveClient;
import dev.flick.hub.metrics.Ingest;

import jakarta.mail.internet.MimeMessage;
import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An alert for an owner whose profile language is Korean, with real parts: snapshots through ingest, a real SMTP
 * server (GreenMail), a real HTTP receiver on loopback and the real WebSocket. The in-app notification carries a
 * code with params (the client renders it); the email and the webhook text are written in Korean; the webhook's
 * machine fields and English title are unchanged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class KoreanNoticesTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    static HttpServer receiver;
    static final BlockingQueue<String> hooks = new LinkedBlockingQueue<>();
    static final String SERVER = "srv-" + UUID.randomUUID().toString().substring(0, 8);

    @LocalServerPort
    int port;

    @Autowired
    Ingest ingest;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        String dir = Files.createTempDirectory("flick-korean-notices-test").toString();
        registry.add("flick.data-dir", () -> dir);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        registry.add("SMTP_HOST", () -> "127.0.0.1");
        registry.add("SMTP_PORT", () -> smtp.getSmtp().getPort());
        registry.add("SMTP_TLS", () -> "false");
        registry.add("SMTP_FROM", () -> "flick@example.com");
        registry.add("FLICK_PUBLIC_URL", () -> "https://flick.example.com");
    }

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            hooks.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void anAlertForAKoreanOwnerIsCodedInAppAndWrittenInKoreanByEmailAndWebhook() throws Exception {
        HubClient hub = new HubClient(port);
        String token = hub.admin();
        assertThat(hub.patch("/api/v1/auth/me", "{\"locale\":\"ko\"}", token).status()).isEqualTo(200);
        jdbc.sql("INSERT INTO servers (id, name, mode, status, created_at) VALUES (?, 'web-1', 'agent', 'pending', ?)")
                .params(SERVER, System.currentTimeMillis()).update();
        String email = hub.post("/api/v1/alerts/channels",
                "{\"name\":\"ops\",\"type\":\"email\",\"config\":{\"to\":[\"ops@example.com\"]}}", token).json().path("id").asString();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        String hook = hub.post("/api/v1/alerts/channels",
                "{\"name\":\"hook\",\"type\":\"webhook\",\"allowPrivate\":true,\"config\":{\"url\":\"" + url + "\",\"format\":\"json\"}}", token)
                .json().path("id").asString();
        HubClient.Response rule = hub.post("/api/v1/alerts/rules", """
                {"name":"CPU hot","metric":"cpu.usage","comparator":">","warning":80,"critical":90,"durationSeconds":1,
                 "serverIds":["%s"],"channelIds":["%s","%s"],"enabled":true}""".formatted(SERVER, email, hook), token);
        assertThat(rule.status()).isEqualTo(201);

        try (LiveClient live = new LiveClient(port)) {
            live.send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
            assertThat(live.next("ready", 5_000)).isNotNull();
            live.send("{\"type\":\"subscribe\",\"serverIds\":\"*\"}");

            long t = Math.max(System.currentTimeMillis(), AlertDeliveryFlowTest.newest + 1_000);
            for (int i = 0; i < 4; i++) ingest.accept(AlertDeliveryFlowTest.snapshot(SERVER, t + i * 500L, 96.5));

            JsonNode note = live.next("notification", 10_000);
            assertThat(note).isNotNull();
            assertThat(note.path("code").asString()).isEqualTo("alert.firing");
            assertThat(note.path("params").path("level").asString()).isEqualTo("critical");
            assertThat(note.path("params").path("metric").asString()).isEqualTo("cpu.usage");
            assertThat(note.path("params").path("server").asString()).isEqualTo("web-1");
            assertThat(note.path("params").path("valueText").asString()).isEqualTo("96.5 %");
            assertThat(note.path("params").path("top").asString()).contains("cpu-burner");
            assertThat(note.path("title").asString()).contains("critical").contains("CPU usage"); // English kept for API users
        }

        JsonNode stored = hub.get("/api/v1/notifications", token).json().path("items").get(0);
        assertThat(stored.path("code").asString()).isEqualTo("alert.firing");
        assertThat(stored.path("params").path("rule").asString()).isEqualTo("CPU hot");

        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("[FLick] 심각: web-1의 CPU 사용률 값이 96.5 %입니다(> 90.0 %)");
        String text = AlertDeliveryFlowTest.textOf(mail, "text/plain");
        assertThat(text).contains("서버:").contains("임계값:").contains("그때의 상위 프로세스").contains("cpu-burner")
                .contains("이 순간을 FLick에서 열기: https://flick.example.com/#/servers/" + SERVER + "?at=")
                .doesNotContain("Threshold");
        assertThat(AlertDeliveryFlowTest.textOf(mail, "text/html")).contains("<th align=\"left\">지표</th>");

        String posted = hooks.poll(10, TimeUnit.SECONDS);
        assertThat(posted).isNotNull();
        JsonNode payload = HubClient.JSON.readTree(posted);
        assertThat(payload.path("language").asString()).isEqualTo("ko");
        assertThat(payload.path("text").asString()).isEqualTo("심각: web-1의 CPU 사용률 값이 96.5 %입니다(> 90.0 %)");
        assertThat(payload.path("code").asString()).isEqualTo("alert.firing");
        assertThat(payload.path("title").asString()).startsWith("critical: CPU usage on web-1");
        assertThat(payload.path("alert").path("level").asString()).isEqualTo("critical");
        assertThat(payload.path("alert").path("value").asDouble()).isEqualTo(96.5);
    }
}
