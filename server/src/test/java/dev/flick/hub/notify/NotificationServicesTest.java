package dev.flick.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import dev.flick.collector.Snapshot;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * Every HTTP channel kind against a receiver on loopback that answers as the real service does and records the exact
 * request: method, path, headers, body. The channels here carry the private-target allowance (loopback); the guard
 * tests run without it and never leave 127.0.0.0/8 even if the guard failed.
 */
class NotificationServicesTest {

    record Seen(String method, String path, Headers headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        Map<String, String> form() {
            return Arrays.stream(body.split("&")).map(kv -> kv.split("=", 2)).collect(Collectors.toMap(
                    kv -> URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv -> URLDecoder.decode(kv[1], StandardCharsets.UTF_8)));
        }
    }

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    static HttpServer receiver;
    static String base;

    final NotifySettings settings = new NotifySettings("https://flick.example.com", "", false, Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(30), 5);
    final WebhookSender sender = new WebhookSender(settings, JSON, new PublicLinks(settings, new MockEnvironment()));

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            seen.add(new Seen(exchange.getRequestMethod(), path, exchange.getRequestHeaders(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            // What each real service answers on success.
            int status = 200;
            String body = "{}";
            if (path.startsWith("/broken")) {
                status = 401;
                body = "{\"ok\":false,\"description\":\"Unauthorized\"}";
            } else if (path.contains("/sendMessage")) body = "{\"ok\":true,\"result\":{\"message_id\":1}}";
            else if (path.endsWith("/v2/enqueue")) {
                status = 202;
                body = "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"x\"}";
            } else if (path.startsWith("/v2/alerts")) {
                status = 202;
                body = "{\"result\":\"Request will be processed\",\"took\":0.1,\"requestId\":\"r\"}";
            } else if (path.startsWith("/teams")) status = 202;
            else if (path.endsWith("/1/messages.json")) body = "{\"status\":1,\"request\":\"r\"}";
            else if (path.contains("/_matrix/")) body = "{\"event_id\":\"$e\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        receiver.start();
        base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    static Notice notice(Notice.Kind kind) {
        return new Notice(kind, "ev-1", "rule-1", "CPU *hot* <b>", "srv-1", "web-1 & \"db\"", "cpu.usage", null, "critical",
                "CPU usage", 96.5, 90.0, kind == Notice.Kind.RESOLVED ? "41.0 %" : "96.5 %", "> 90.0 %", 1_764_150_000_000L,
                1_764_149_000_000L, List.of(new Snapshot.Processes.Process(4242, "cpu<burner>", "root", 195.5, 1 << 20, "x")),
                List.of("ch-1"));
    }

    static Channel channel(ChannelKind kind, Map<String, String> settings, Map<String, String> secrets, boolean allowPrivate) {
        return new Channel("ch-1", "test", kind, List.of(), settings, secrets, Map.of(), null, allowPrivate, "u", 0);
    }

    Seen deliver(Channel c, Notice n) throws InterruptedException {
        Outcome outcome = sender.send(c, n);
        assertThat(outcome).as(c.kind() + ": " + outcome).isInstanceOf(Outcome.Delivered.class);
        Seen s = seen.poll(5, TimeUnit.SECONDS);
        assertThat(s).as("a request reached the receiver").isNotNull();
        return s;
    }

    @Test
    void telegramPostsSendMessageWithHtmlEscapedValues() throws Exception {
        Seen s = deliver(channel(ChannelKind.TELEGRAM, Map.of("apiUrl", base, "chatId", "-100123"), Map.of("botToken", "123:ABC-def"), true),
                notice(Notice.Kind.FIRING));
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/bot123:ABC-def/sendMessage");
        assertThat(s.headers().getFirst("Content-Type")).startsWith("application/json");
        JsonNode b = s.json();
        assertThat(b.path("chat_id").asString()).isEqualTo("-100123");
        assertThat(b.path("parse_mode").asString()).isEqualTo("HTML");
        assertThat(b.path("text").asString()).startsWith("<b>critical: CPU usage on web-1 &amp; &quot;db&quot; is 96.5 % (&gt; 90.0 %)</b>")
                .contains("Rule: CPU *hot* &lt;b&gt;").contains("<pre>").contains("cpu&lt;burner&gt;")
                .contains("<a href=\"https://flick.example.com/#/servers/srv-1?at=1764150000000\">");
    }

    @Test
    void ntfyPostsTheMessageAsBodyWithTitlePriorityTagsClickAndBearer() throws Exception {
        Seen s = deliver(channel(ChannelKind.NTFY, Map.of(), Map.of("url", base + "/flick-alerts", "token", "tk_secret"), true),
                notice(Notice.Kind.FIRING));
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/flick-alerts");
        assertThat(s.headers().getFirst("Title")).isEqualTo("critical: CPU usage on web-1 & \"db\" is 96.5 % (> 90.0 %)");
        assertThat(s.headers().getFirst("Priority")).isEqualTo("5");
        assertThat(s.headers().getFirst("Tags")).isEqualTo("rotating_light");
        assertThat(s.headers().getFirst("Click")).isEqualTo("https://flick.example.com/#/servers/srv-1?at=1764150000000");
        assertThat(s.headers().getFirst("Authorization")).isEqualTo("Bearer tk_secret");
        assertThat(s.body()).startsWith("Rule: CPU *hot* <b>\n").contains("cpu<burner>");
    }

    @Test
    void ntfyWithoutTokenSendsNoAuthorizationAndEncodesNonAsciiTitles() throws Exception {
        Notice n = notice(Notice.Kind.RESOLVED);
        Channel c = new Channel("ch-1", "t", ChannelKind.NTFY, List.of(), Map.of(), Map.of("url", base + "/t"), Map.of(),
                new Template.Set(null, null, new Template.Part("해결: {{server}}", null)), true, "u", 0);
        Seen s = deliver(c, n);
        assertThat(s.headers().containsKey("Authorization")).isFalse();
        assertThat(s.headers().getFirst("Title")).startsWith("=?UTF-8?B?");
        assertThat(new String(java.util.Base64.getDecoder().decode(s.headers().getFirst("Title").replace("=?UTF-8?B?", "").replace("?=", "")),
                StandardCharsets.UTF_8)).isEqualTo("해결: web-1 & \"db\"");
        assertThat(s.headers().getFirst("Tags")).isEqualTo("white_check_mark");
    }

    @Test
    void gotifyPostsMessageWithKeyHeader() throws Exception {
        Seen s = deliver(channel(ChannelKind.GOTIFY, Map.of("url", base + "/"), Map.of("token", "AppTok.123"), true), notice(Notice.Kind.FIRING));
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/message");
        assertThat(s.headers().getFirst("X-Gotify-Key")).isEqualTo("AppTok.123");
        JsonNode b = s.json();
        assertThat(b.path("title").asString()).startsWith("critical: CPU usage");
        assertThat(b.path("message").asString()).contains("Rule: CPU *hot* <b>");
        assertThat(b.path("priority").asInt()).isEqualTo(8);
    }

    @Test
    void pushoverPostsTheDocumentedFormFields() throws Exception {
        Seen s = deliver(channel(ChannelKind.PUSHOVER, Map.of("apiUrl", base), Map.of("userKey", "uQiRzpo4DXghDmr9QzzfQu27cmVRsG",
                "appToken", "azGDORePK8gMaC0QOYAMyEEuzJnyUi"), true), notice(Notice.Kind.REMINDER));
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/1/messages.json");
        assertThat(s.headers().getFirst("Content-Type")).startsWith("application/x-www-form-urlencoded");
        Map<String, String> f = s.form();
        assertThat(f).containsEntry("token", "azGDORePK8gMaC0QOYAMyEEuzJnyUi").containsEntry("user", "uQiRzpo4DXghDmr9QzzfQu27cmVRsG")
                .containsEntry("priority", "1").containsEntry("url", "https://flick.example.com/#/servers/srv-1?at=1764150000000");
        assertThat(f.get("title")).startsWith("Still critical: CPU usage on web-1");
        assertThat(f.get("message")).contains("cpu<burner>");
    }

    @Test
    void teamsPostsAnAdaptiveCardMessage() throws Exception {
        Seen s = deliver(channel(ChannelKind.TEAMS, Map.of(), Map.of("url", base + "/teams/workflows/abc?sig=s3cret"), true),
                notice(Notice.Kind.FIRING));
        assertThat(s.path()).isEqualTo("/teams/workflows/abc?sig=s3cret");
        JsonNode b = s.json();
        assertThat(b.path("type").asString()).isEqualTo("message");
        JsonNode a = b.path("attachments").get(0);
        assertThat(a.path("contentType").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = a.path("content");
        assertThat(card.path("type").asString()).isEqualTo("AdaptiveCard");
        assertThat(card.path("version").asString()).isEqualTo("1.4");
        assertThat(card.path("body").get(0).path("type").asString()).isEqualTo("TextBlock");
        assertThat(card.path("body").get(0).path("text").asString()).startsWith("critical: CPU usage");
        assertThat(card.path("body").get(1).path("text").asString()).contains("CPU \\*hot\\* \\<b\\>");
        assertThat(card.path("actions").get(0).path("url").asString()).startsWith("https://flick.example.com/");
    }

    @Test
    void matrixPutsAnMTextEventWithBearerAndTheSameTxnIdOnRetry() throws Exception {
        Channel c = channel(ChannelKind.MATRIX, Map.of("homeserverUrl", base, "roomId", "!room:example.org"),
                Map.of("accessToken", "syt_secret"), true);
        Seen s = deliver(c, notice(Notice.Kind.FIRING));
        assertThat(s.method()).isEqualTo("PUT");
        assertThat(s.path()).startsWith("/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/flick-");
        assertThat(s.headers().getFirst("Authorization")).isEqualTo("Bearer syt_secret");
        JsonNode b = s.json();
        assertThat(b.path("msgtype").asString()).isEqualTo("m.text");
        assertThat(b.path("format").asString()).isEqualTo("org.matrix.custom.html");
        assertThat(b.path("formatted_body").asString()).contains("<b>critical: CPU usage on web-1 &amp; &quot;db&quot;").contains("<br>");
        assertThat(b.path("body").asString()).startsWith("critical: CPU usage on web-1 & \"db\"").doesNotContain("<b>critical");
        assertThat(deliver(c, notice(Notice.Kind.FIRING)).path()).as("a retry reuses the transaction id").isEqualTo(s.path());
    }

    @Test
    void mattermostRocketChatAndGoogleChatPostTheirWebhookShapes() throws Exception {
        JsonNode mm = deliver(channel(ChannelKind.MATTERMOST, Map.of(), Map.of("url", base + "/hooks/mm"), true), notice(Notice.Kind.FIRING)).json();
        assertThat(mm.path("username").asString()).isEqualTo("FLick");
        assertThat(mm.path("text").asString()).startsWith("**critical: CPU usage").contains("CPU \\*hot\\* \\<b\\>");
        JsonNode rc = deliver(channel(ChannelKind.ROCKETCHAT, Map.of(), Map.of("url", base + "/hooks/rc"), true), notice(Notice.Kind.RESOLVED)).json();
        assertThat(rc.path("text").asString()).startsWith("*Resolved: CPU usage on web-1");
        assertThat(rc.path("attachments").get(0).path("title_link").asString()).startsWith("https://flick.example.com/");
        assertThat(rc.path("attachments").get(0).path("color").asString()).isEqualTo("#2E7D32");
        Seen gc = deliver(channel(ChannelKind.GOOGLECHAT, Map.of(), Map.of("url", base + "/v1/spaces/S/messages?key=k&token=t"), true),
                notice(Notice.Kind.FIRING));
        assertThat(gc.path()).isEqualTo("/v1/spaces/S/messages?key=k&token=t");
        assertThat(gc.json().path("text").asString()).startsWith("*critical: CPU usage");
    }

    @Test
    void pagerDutyTriggersThenResolvesWithTheSameDedupKey() throws Exception {
        Channel c = channel(ChannelKind.PAGERDUTY, Map.of("apiUrl", base), Map.of("routingKey", "R0UTINGKEY0000000000000000000000"), true);
        Seen trigger = deliver(c, notice(Notice.Kind.FIRING));
        assertThat(trigger.method()).isEqualTo("POST");
        assertThat(trigger.path()).isEqualTo("/v2/enqueue");
        JsonNode t = trigger.json();
        assertThat(t.path("routing_key").asString()).isEqualTo("R0UTINGKEY0000000000000000000000");
        assertThat(t.path("event_action").asString()).isEqualTo("trigger");
        assertThat(t.path("payload").path("summary").asString()).startsWith("critical: CPU usage on web-1");
        assertThat(t.path("payload").path("source").asString()).isEqualTo("web-1 & \"db\"");
        assertThat(t.path("payload").path("severity").asString()).isEqualTo("critical");
        Seen resolve = deliver(c, notice(Notice.Kind.RESOLVED));
        JsonNode r = resolve.json();
        assertThat(r.path("event_action").asString()).isEqualTo("resolve");
        assertThat(r.path("dedup_key").asString()).isEqualTo(t.path("dedup_key").asString()).isEqualTo("flick-ev-1");
        assertThat(r.path("routing_key").asString()).isEqualTo("R0UTINGKEY0000000000000000000000");
    }

    @Test
    void opsgenieCreatesWithAliasThenClosesByAlias() throws Exception {
        Channel c = channel(ChannelKind.OPSGENIE, Map.of("apiUrl", base), Map.of("apiKey", "eb243592-faa2-4ba2-a551q-1afdf565c889"), true);
        Seen create = deliver(c, notice(Notice.Kind.FIRING));
        assertThat(create.path()).isEqualTo("/v2/alerts");
        assertThat(create.headers().getFirst("Authorization")).isEqualTo("GenieKey eb243592-faa2-4ba2-a551q-1afdf565c889");
        JsonNode b = create.json();
        assertThat(b.path("alias").asString()).isEqualTo("flick-ev-1");
        assertThat(b.path("priority").asString()).isEqualTo("P1");
        assertThat(b.path("message").asString().length()).isLessThanOrEqualTo(130);
        assertThat(b.path("description").asString()).contains("cpu<burner>");
        Seen close = deliver(c, notice(Notice.Kind.RESOLVED));
        assertThat(close.method()).isEqualTo("POST");
        assertThat(close.path()).isEqualTo("/v2/alerts/flick-ev-1/close?identifierType=alias");
        assertThat(close.headers().getFirst("Authorization")).startsWith("GenieKey ");
    }

    @Test
    void webhookCustomBodyIsTheTemplateWithJsonEscapedValuesAndCustomHeaders() throws Exception {
        Channel c = new Channel("ch-1", "t", ChannelKind.WEBHOOK, List.of(), Map.of("format", "custom"), Map.of("url", base + "/hook"),
                Map.of("X-Api-Key", "hdr-secret"), new Template.Set(new Template.Part(null,
                "{\"who\":\"{{server}}\",\"rule\":\"{{rule}}\",\"top\":\"{{processes}}\",\"t\":\"{{title}}\"}"), null, null), true, "u", 0);
        Seen s = deliver(c, notice(Notice.Kind.FIRING));
        assertThat(s.headers().getFirst("X-Api-Key")).isEqualTo("hdr-secret");
        JsonNode b = s.json();
        assertThat(b.path("who").asString()).isEqualTo("web-1 & \"db\"");
        assertThat(b.path("rule").asString()).isEqualTo("CPU *hot* <b>");
        assertThat(b.path("top").asString()).contains("cpu<burner>");
        assertThat(b.path("t").asString()).startsWith("critical: CPU usage");
    }

    @Test
    void aFailedAnswerIsReportedByStatusWithoutTheToken() {
        Outcome o = sender.send(channel(ChannelKind.TELEGRAM, Map.of("apiUrl", base + "/broken", "chatId", "1"),
                Map.of("botToken", "999:TOPSECRET"), true), notice(Notice.Kind.FIRING));
        assertThat(o).isEqualTo(new Outcome.Failed("HTTP 401"));
        Outcome unreachable = sender.send(channel(ChannelKind.TELEGRAM, Map.of("apiUrl", "http://127.0.0.1:1", "chatId", "1"),
                Map.of("botToken", "999:TOPSECRET"), true), notice(Notice.Kind.FIRING));
        assertThat(unreachable).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) unreachable).reason()).doesNotContain("TOPSECRET");
    }

    /** Every URL field of a kind set to one target, every secret filled in. */
    static Channel aimedAt(ChannelKind kind, String target, boolean allowPrivate) {
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, String> secret = new LinkedHashMap<>();
        for (ChannelKind.Field f : kind.fields) {
            String v = f.url() ? target : f.name().equals("roomId") ? "!r:example.org" : f.name().equals("format") ? "json" : "SECRET-" + f.name();
            (f.secret() ? secret : plain).put(f.name(), v);
        }
        return channel(kind, plain, secret, allowPrivate);
    }

    @Test
    void everyKindRefusesAMetadataTargetBeforeConnecting() {
        for (ChannelKind kind : ChannelKind.values()) {
            if (kind == ChannelKind.EMAIL) continue;
            Outcome o = sender.send(aimedAt(kind, "http://169.254.169.254/latest", false), notice(Notice.Kind.FIRING));
            assertThat(o).as(kind.wire).isInstanceOf(Outcome.Failed.class);
            assertThat(((Outcome.Failed) o).reason()).as(kind.wire).contains("refused").contains("metadata").doesNotContain("SECRET-");
            assertThat(WebhookSender.invalid("http://[fe80::1]/", false)).get().asString().contains("link-local");
        }
    }

    @Test
    void everyKindRefusesANameThatResolvesToLoopbackWithoutTheAllowance() {
        // localhost: if the guard failed, the connection would still stay on loopback (and the receiver would see it).
        for (ChannelKind kind : ChannelKind.values()) {
            if (kind == ChannelKind.EMAIL) continue;
            Outcome o = sender.send(aimedAt(kind, "http://localhost:" + receiver.getAddress().getPort(), false), notice(Notice.Kind.FIRING));
            assertThat(o).as(kind.wire).isInstanceOf(Outcome.Failed.class);
            assertThat(((Outcome.Failed) o).reason()).as(kind.wire).contains("loopback").doesNotContain("SECRET-");
        }
        assertThat(seen).isEmpty();
    }
}
