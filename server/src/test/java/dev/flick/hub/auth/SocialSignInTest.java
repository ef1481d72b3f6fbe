package dev.flick.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.flick.hub.HubClient;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Kakao, Facebook and Apple sign-in through Spring Security's OAuth2 client against local stubs serving each
 * provider's documented shapes. The browser is played by an HTTP client with a cookie jar that does not follow
 * redirects, so every hop is checked: nothing but a single-use code reaches the URL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SocialSignInTest {

    static final ProviderStub STUB;

    static {
        try {
            STUB = new ProviderStub();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry r) throws Exception {
        Path dir = Files.createTempDirectory("flick-social-test");
        String s = STUB.base();
        r.add("flick.data-dir", dir::toString);
        r.add("flick.database-url", () -> "");
        r.add("flick.local-collector", () -> "false");
        r.add("flick.auth.kakao.client-id", () -> "kakao-client");
        r.add("flick.auth.kakao.client-secret", () -> "kakao-secret");
        r.add("flick.auth.kakao.authorization-uri", () -> s + "/kakao/oauth/authorize");
        r.add("flick.auth.kakao.token-uri", () -> s + "/kakao/token");
        r.add("flick.auth.kakao.user-info-uri", () -> s + "/kakao/v2/user/me");
        r.add("flick.auth.facebook.client-id", () -> "fb-client");
        r.add("flick.auth.facebook.client-secret", () -> "fb-secret");
        r.add("flick.auth.facebook.authorization-uri", () -> s + "/facebook/dialog/oauth");
        r.add("flick.auth.facebook.token-uri", () -> s + "/facebook/token");
        r.add("flick.auth.facebook.user-info-uri", () -> s + "/facebook/me?fields=id,name,email");
        r.add("flick.auth.apple.client-id", () -> "dev.flick.web");
        r.add("flick.auth.apple.team-id", () -> "TEAM123456");
        r.add("flick.auth.apple.key-id", () -> "APPLEKEY01");
        r.add("flick.auth.apple.private-key", () -> STUB.appleKeyPem);
        r.add("flick.auth.apple.authorization-uri", () -> s + "/apple/auth/authorize");
        r.add("flick.auth.apple.token-uri", () -> s + "/apple/auth/token");
        r.add("flick.auth.apple.jwk-set-uri", () -> s + "/apple/auth/keys");
        r.add("flick.auth.apple.issuer", () -> s + "/apple");
    }

    @AfterAll
    static void stop() {
        STUB.close();
    }

    @LocalServerPort
    int port;

    static String kakaoUserId;
    static String adminToken;

    HubClient hub() {
        return new HubClient(port);
    }

    /** A browser: its own cookie jar, redirects shown rather than followed. */
    final class Browser {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> get(String url) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> postForm(String url, Map<String, String> form) throws Exception {
            StringBuilder b = new StringBuilder();
            form.forEach((k, v) -> b.append(b.isEmpty() ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Starts a sign-in (or a link, with a ticket): the hub answers with a redirect to the provider. */
        Map<String, String> start(String provider, String linkTicket) throws Exception {
            String url = "http://127.0.0.1:" + port + "/oauth2/authorization/" + provider;
            HttpResponse<String> r = linkTicket == null ? get(url) : postForm(url, Map.of("link", linkTicket));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
            String location = r.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith(STUB.base() + "/" + provider + "/");
            Map<String, String> q = query(URI.create(location).getRawQuery());
            assertThat(q).containsKeys("state", "redirect_uri", "client_id");
            return q;
        }

        /** The provider sends the browser back with a code; returns where the hub redirects next. */
        String callback(Map<String, String> authorize, String code, Map<String, String> formPostExtras) throws Exception {
            HttpResponse<String> r;
            if (formPostExtras != null) {
                Map<String, String> form = new HashMap<>(formPostExtras);
                form.put("code", code);
                form.put("state", authorize.get("state"));
                r = postForm(authorize.get("redirect_uri"), form);
            } else {
                r = get(authorize.get("redirect_uri") + "?code=" + code + "&state=" + URLEncoder.encode(authorize.get("state"), StandardCharsets.UTF_8));
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
            String location = r.headers().firstValue("Location").orElseThrow();
            String hubBase = "http://127.0.0.1:" + port;
            assertThat(location).as("back to the hub's own web client").startsWith(hubBase + "/#/");
            return location.substring(hubBase.length());
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) return out;
        for (String p : raw.split("&")) {
            int eq = p.indexOf('=');
            out.put(URLDecoder.decode(p.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    JsonNode exchange(String location) {
        assertThat(location).startsWith("/#/signin?code=");
        String code = location.substring("/#/signin?code=".length());
        HubClient.Response r = hub().post("/api/v1/auth/exchange", "{\"code\":\"" + code + "\"}", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(hub().post("/api/v1/auth/exchange", "{\"code\":\"" + code + "\"}", null).status()).as("the code is single-use").isEqualTo(401);
        return r.json();
    }

    static Map<String, Object> kakaoProfile(long id, String email, String nickname) {
        return Map.of("id", id, "connected_at", "2026-01-01T00:00:00Z",
                "kakao_account", Map.of("profile_nickname_needs_agreement", false, "profile", Map.of("nickname", nickname),
                        "has_email", true, "email_needs_agreement", false, "is_email_valid", true, "is_email_verified", true,
                        "email", email));
    }

    @Test
    @Order(1)
    void theStatusListsTheEnabledProvidersOnly() {
        adminToken = hub().post("/api/v1/auth/setup", "{\"email\":\"admin@example.com\",\"password\":\"correct horse battery\"}", null)
                .json().path("accessToken").asString();
        JsonNode providers = hub().get("/api/v1/auth/status", null).json().path("providers");
        assertThat(providers.findValuesAsString("id")).containsExactlyInAnyOrder("kakao", "facebook", "apple");
    }

    @Test
    @Order(2)
    void kakaoCreatesAnAccountFromTheNestedProfileAndTheSecondSignInLandsOnIt() throws Exception {
        Browser browser = new Browser();
        Map<String, String> auth = browser.start("kakao", null);
        assertThat(auth.get("scope")).contains("account_email");
        String location = browser.callback(auth, STUB.approve("kakao", kakaoProfile(4242L, "kakao-user@example.com", "길동"), null), null);
        JsonNode session = exchange(location);
        kakaoUserId = session.path("user").path("id").asString();
        assertThat(session.path("user").path("email").asString()).isEqualTo("kakao-user@example.com");
        assertThat(session.path("user").path("name").asString()).isEqualTo("길동");
        assertThat(session.path("user").path("role").asString()).as("new social accounts see nothing until shared").isEqualTo("viewer");

        Browser again = new Browser();
        Map<String, String> auth2 = again.start("kakao", null);
        JsonNode second = exchange(again.callback(auth2, STUB.approve("kakao", kakaoProfile(4242L, "changed@example.com", "길동"), null), null));
        assertThat(second.path("user").path("id").asString()).isEqualTo(kakaoUserId);
    }

    @Test
    @Order(3)
    void aFlowStartedInOneBrowserCannotBeFinishedInAnother() throws Exception {
        Map<String, String> auth = new Browser().start("kakao", null);
        String location = new Browser().callback(auth, STUB.approve("kakao", kakaoProfile(777L, "x@example.com", "x"), null), null);
        assertThat(location).isEqualTo("/#/signin?error=failed");
    }

    @Test
    @Order(4)
    void facebookNeverMatchesAnExistingAccountByEmailButLinksFromThatAccountsSession() throws Exception {
        Browser browser = new Browser();
        Map<String, String> auth = browser.start("facebook", null);
        Map<String, Object> me = Map.of("id", "10150001", "name", "Ada Admin", "email", "admin@example.com");
        assertThat(browser.callback(auth, STUB.approve("facebook", me, null), null))
                .as("same email as the admin, but not linked: refused").isEqualTo("/#/signin?error=email-in-use");

        JsonNode ticket = hub().post("/api/v1/auth/identities", "{\"provider\":\"facebook\"}", adminToken).json();
        assertThat(ticket.path("url").asString()).isEqualTo("/oauth2/authorization/facebook");
        Browser linking = new Browser();
        Map<String, String> linkAuth = linking.start("facebook", ticket.path("ticket").asString());
        assertThat(linking.callback(linkAuth, STUB.approve("facebook", me, null), null)).isEqualTo("/#/profile?linked=facebook");
        assertThat(new Browser().postForm("http://127.0.0.1:" + port + "/oauth2/authorization/facebook",
                Map.of("link", ticket.path("ticket").asString())).statusCode()).as("a link ticket works once").isNotEqualTo(302);

        Browser later = new Browser();
        Map<String, String> auth2 = later.start("facebook", null);
        JsonNode session = exchange(later.callback(auth2, STUB.approve("facebook", me, null), null));
        assertThat(session.path("user").path("email").asString()).isEqualTo("admin@example.com");
        JsonNode profile = hub().get("/api/v1/auth/me", adminToken).json();
        assertThat(profile.path("identities").findValuesAsString("provider")).containsExactly("facebook");
    }

    @Test
    @Order(5)
    void appleAnswersByFormPostWithTheNameOnlyOnTheFirstSignInAndASignedClientSecret() throws Exception {
        Browser browser = new Browser();
        Map<String, String> auth = browser.start("apple", null);
        assertThat(auth.get("response_mode")).isEqualTo("form_post");
        assertThat(auth.get("nonce")).isNotBlank();
        Map<String, Object> claims = Map.of("sub", "001234.apple", "email", "relay@privaterelay.appleid.com", "email_verified", "true");
        String location = browser.callback(auth, STUB.approve("apple", claims, auth.get("nonce")),
                Map.of("user", "{\"name\":{\"firstName\":\"Grace\",\"lastName\":\"Hopper\"},\"email\":\"relay@privaterelay.appleid.com\"}"));
        JsonNode session = exchange(location);
        assertThat(session.path("user").path("name").asString()).isEqualTo("Grace Hopper");
        assertThat(STUB.appleSecretProblems).isEmpty();
        assertThat(STUB.appleSecretsSeen).hasSize(1);

        Browser again = new Browser();
        Map<String, String> auth2 = again.start("apple", null);
        JsonNode second = exchange(again.callback(auth2, STUB.approve("apple", claims, auth2.get("nonce")), Map.of()));
        assertThat(second.path("user").path("id").asString()).isEqualTo(session.path("user").path("id").asString());
        assertThat(second.path("user").path("name").asString()).as("kept from the first sign-in").isEqualTo("Grace Hopper");
        assertThat(STUB.appleSecretsSeen.get(1).serialize()).as("reused until close to expiry").isEqualTo(STUB.appleSecretsSeen.get(0).serialize());
    }
}
