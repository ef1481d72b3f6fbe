package dev.flick.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The channels API with the real hub: secrets sealed and never returned, fields validated by name, the preview, the test button. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class ChannelsApiTest {

    static HttpServer receiver;
    static final BlockingQueue<String> requests = new LinkedBlockingQueue<>();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws IOException {
        String dir = Files.createTempDirectory("flick-channels-test").toString();
        registry.add("flick.data-dir", () -> dir);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        registry.add("FLICK_PUBLIC_URL", () -> "https://flick.example.com");
    }

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "{\"ok\":true,\"result\":{}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
    }

    HubClient hub() {
        return new HubClient(port);
    }

    String base() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    static void assertField(HubClient.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("errors").get(0).path("field").asString()).as(r.body()).isEqualTo(field);
    }

    @Test
    void secretsAreSealedNeverReturnedNorLoggedAndKeptOnUpdate(CapturedOutput output) throws Exception {
        String token = hub().admin();
        HubClient.Response created = hub().post("/api/v1/alerts/channels", """
                {"name":"tg","type":"telegram","allowPrivate":true,
                 "config":{"botToken":"4242:TG-SECRET-TOKEN","chatId":"-100777","apiUrl":"%s"}}""".formatted(base()), token);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(created.json().path("config").path("hasBotToken").asBoolean()).isTrue();
        assertThat(created.json().path("config").path("chatId").asString()).isEqualTo("-100777");
        assertThat(created.body()).doesNotContain("TG-SECRET-TOKEN");

        HubClient.Response ntfy = hub().post("/api/v1/alerts/channels", """
                {"name":"ntfy","type":"ntfy","config":{"url":"https://ntfy.sh/flick-SECRET-TOPIC","token":"tk_NTFY-SECRET"}}""", token);
        assertThat(ntfy.status()).as(ntfy.body()).isEqualTo(201);
        assertThat(ntfy.json().path("config").path("url").asString()).isEqualTo("https://ntfy.sh/…");
        assertThat(ntfy.json().path("config").path("hasToken").asBoolean()).isTrue();

        HubClient.Response hook = hub().post("/api/v1/alerts/channels", """
                {"name":"hook","type":"webhook","config":{"url":"https://hooks.example.com/x","format":"custom",
                 "headers":{"X-Api-Key":"HDR-SECRET"},"templates":{"firing":{"body":"{\\"s\\":\\"{{server}}\\"}"}}}}""", token);
        assertThat(hook.status()).as(hook.body()).isEqualTo(201);
        assertThat(hook.json().path("config").path("headerNames").get(0).asString()).isEqualTo("X-Api-Key");

        String list = hub().get("/api/v1/alerts/channels", token).body();
        assertThat(list).doesNotContain("TG-SECRET-TOKEN").doesNotContain("SECRET-TOPIC").doesNotContain("NTFY-SECRET")
                .doesNotContain("HDR-SECRET").contains("\"hasBotToken\":true");
        for (byte[] sealed : jdbc.sql("SELECT secret FROM alert_channels").query(byte[].class).list()) {
            assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("SECRET");
        }
        for (String config : jdbc.sql("SELECT config FROM alert_channels").query(String.class).list()) {
            assertThat(config).doesNotContain("SECRET");
        }

        // An update without the token keeps it: the test still reaches the bot URL with it.
        HubClient.Response updated = hub().put("/api/v1/alerts/channels/" + id, """
                {"name":"tg renamed","type":"telegram","allowPrivate":true,"config":{"chatId":"-100888","apiUrl":"%s",
                 "templates":{"firing":{"title":"T {{server}}","body":"<i>{{title}}</i> {{rule}}"}}}}""".formatted(base()), token);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().path("config").path("templates").path("firing").path("title").asString()).isEqualTo("T {{server}}");
        HubClient.Response test = hub().post("/api/v1/alerts/channels/" + id + "/test", "", token);
        assertThat(test.json().path("delivered").asBoolean()).as(test.body()).isTrue();
        String seen = requests.poll(5, TimeUnit.SECONDS);
        assertThat(seen).startsWith("POST /bot4242:TG-SECRET-TOKEN/sendMessage ").contains("\"chat_id\":\"-100888\"")
                .contains("<i>T FLick</i> Channel test");

        // A failing test: the reason and the log name the status, never the token.
        HubClient.Response bad = hub().put("/api/v1/alerts/channels/" + id, """
                {"name":"tg","type":"telegram","allowPrivate":true,"config":{"chatId":"1","apiUrl":"http://127.0.0.1:1"}}""", token);
        assertThat(bad.status()).isEqualTo(200);
        HubClient.Response failed = hub().post("/api/v1/alerts/channels/" + id + "/test", "", token);
        assertThat(failed.json().path("delivered").asBoolean()).isFalse();
        assertThat(failed.body()).doesNotContain("TG-SECRET-TOKEN");
        assertThat(hub().get("/api/v1/alerts/channels/" + id + "/deliveries", token).body()).doesNotContain("TG-SECRET-TOKEN");
        assertThat(output.getAll()).doesNotContain("TG-SECRET-TOKEN").doesNotContain("NTFY-SECRET").doesNotContain("HDR-SECRET");
    }

    @Test
    void badConfigsAreRefusedNamingTheField() {
        String token = hub().admin();
        String path = "/api/v1/alerts/channels";
        assertField(hub().post(path, "{\"name\":\"x\",\"type\":\"carrier-pigeon\",\"config\":{}}", token), "type");
        assertField(hub().post(path, "{\"name\":\"x\",\"type\":\"telegram\",\"config\":{\"chatId\":\"1\"}}", token), "config.botToken");
        assertField(hub().post(path, "{\"name\":\"x\",\"type\":\"gotify\",\"config\":{\"url\":\"ftp://g\",\"token\":\"t\"}}", token), "config.url");
        assertField(hub().post(path, "{\"name\":\"x\",\"type\":\"pagerduty\",\"config\":{\"routingKey\":\"k\",\"apiUrl\":\"http://169.254.169.254/\"}}",
                token), "config.apiUrl");
        assertField(hub().post(path, "{\"name\":\"x\",\"type\":\"matrix\",\"config\":{\"homeserverUrl\":\"https://m.org\",\"accessToken\":\"t\",\"roomId\":\"room\"}}",
                token), "config.roomId");
        assertField(hub().post(path, "{\"name\":\"x\",\"type\":\"ntfy\",\"config\":{\"url\":\"https://ntfy.sh/t\","
                + "\"templates\":{\"firing\":{\"title\":\"{{server}} {{hostname}}\"}}}}", token), "config.templates.firing.title");
        assertField(hub().post(path, "{\"name\":\"x\",\"type\":\"ntfy\",\"config\":{\"url\":\"https://ntfy.sh/t\","
                + "\"templates\":{\"resolved\":{\"body\":\"{{nope}}\"}}}}", token), "config.templates.resolved.body");
        assertField(hub().post(path, "{\"name\":\"x\",\"type\":\"webhook\",\"config\":{\"url\":\"https://h.example.com\",\"format\":\"custom\","
                + "\"templates\":{\"firing\":{\"body\":\"{\\\"a\\\": {{value}}\"}}}}", token), "config.templates.firing.body");
        assertField(hub().post(path, "{\"name\":\"x\",\"type\":\"webhook\",\"config\":{\"url\":\"https://h.example.com\",\"headers\":{\"Host\":\"evil\"}}}",
                token), "config.headers.Host");
        HubClient.Response unknown = hub().post(path + "/preview", "{\"type\":\"telegram\",\"config\":{\"templates\":{\"firing\":{\"body\":\"{{cpu}}\"}}}}", token);
        assertField(unknown, "config.templates.firing.body");
        assertThat(unknown.body()).contains("{{cpu}}");
    }

    @Test
    void previewRendersEachKindOfNoticeEscapedForTheService() {
        String token = hub().admin();
        HubClient.Response r = hub().post("/api/v1/alerts/channels/preview", """
                {"type":"telegram","source":"sample","config":{"templates":{"firing":{"body":"<b>{{server}}</b> {{value}} {{link}}"}}}}""", token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode p = r.json();
        assertThat(p.path("source").asString()).isEqualTo("sample");
        assertThat(p.path("firing").path("body").asString()).startsWith("<b>web-1</b> 96.5 % https://flick.example.com/#/servers/sample?at=");
        assertThat(p.path("firing").path("title").asString()).isEqualTo("critical: CPU usage on web-1 is 96.5 % (> 90.0 %)");
        assertThat(p.path("resolved").path("title").asString()).isEqualTo("Resolved: CPU usage on web-1 is back to 41.0 %");
        assertThat(p.path("resolved").path("body").asString()).startsWith("<b>Resolved:").contains("<pre>");
        assertThat(p.path("reminder").path("defaultTitle").asString()).startsWith("Still {{level}}");
        assertThat(p.path("placeholders").toString()).contains("processes");
        HubClient.Response latest = hub().post("/api/v1/alerts/channels/preview", "{\"type\":\"gotify\"}", token);
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.json().path("firing").path("body").asString()).contains("Top processes:");
    }
}
