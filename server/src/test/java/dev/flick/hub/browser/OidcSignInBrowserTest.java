package dev.flick.hub.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;

import dev.flick.hub.HubClient;
import dev.flick.testidp.TestIdentityProvider;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Generic OpenID Connect sign-in in Chromium against a real provider (Spring Authorization Server, started in this
 * test on its own port): the first sign-in creates an account, the second lands on the same one, and a signed-in
 * local account links the provider from its profile page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OidcSignInBrowserTest {

    static Chromium chromium;
    static ConfigurableApplicationContext idp;
    static int idpPort;
    static String firstUserId;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-oidc-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        // The provider starts first, on a port of its own choosing; the hub discovers it from the issuer.
        idp = TestIdentityProvider.start("flick", "flick-secret", "http://127.0.0.1/login/oauth2/code/oidc");
        idpPort = TestIdentityProvider.port(idp);
        registry.add("flick.auth.oidc.issuer", () -> "http://localhost:" + idpPort);
        registry.add("flick.auth.oidc.client-id", () -> "flick");
        registry.add("flick.auth.oidc.client-secret", () -> "flick-secret");
        registry.add("flick.auth.oidc.name", () -> "Test IdP");
    }

    @BeforeAll
    static void browser() {
        chromium = new Chromium();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (idp != null) idp.close();
    }

    String hubUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Signs in at the provider's own login form. */
    static void providerLogin(Page page, String user, String password) {
        page.waitForURL("http://localhost:" + idpPort + "/login**");
        page.locator("input[name=username]").fill(user);
        page.locator("input[name=password]").fill(password);
        page.locator("button[type=submit]").click();
    }

    /** Clicks the provider's button on the login screen and completes the provider's login; returns the exchange answer. */
    JsonNode signInWithProvider(Page page, String user, String password) {
        page.navigate(hubUrl() + "/");
        Response exchange = page.waitForResponse(r -> r.url().endsWith("/api/v1/auth/exchange"), () -> {
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Test IdP")).click();
            providerLogin(page, user, password);
        });
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(page.url()).as("no code or token left in the address bar").doesNotContain("code=").doesNotContain("token");
        return HubClient.JSON.readTree(exchange.text());
    }

    @Test
    @Order(1)
    void theFirstSignInCreatesAnAccountAndTheSecondLandsOnIt() throws Exception {
        HubClient hub = new HubClient(port);
        hub.post("/api/v1/auth/setup", "{\"email\":\"admin@example.com\",\"password\":\"correct horse battery\"}", null);
        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = context.newPage();
            JsonNode first = signInWithProvider(page, "grace", "grace-password");
            firstUserId = first.path("user").path("id").asString();
            assertThat(first.path("user").path("email").asString()).isEqualTo("grace@idp.example");
            assertThat(first.path("user").path("name").asString()).isEqualTo("Grace Hopper");
            Chromium.screenshot(page, "oidc-signed-in");
        }
        try (BrowserContext context = chromium.browser.newContext()) {
            JsonNode second = signInWithProvider(context.newPage(), "grace", "grace-password");
            assertThat(second.path("user").path("id").asString()).isEqualTo(firstUserId);
        }
    }

    @Test
    @Order(2)
    void aSignedInAccountLinksTheProviderFromItsProfile() throws Exception {
        HubClient hub = new HubClient(port);
        String admin = hub.post("/api/v1/auth/login", "{\"email\":\"admin@example.com\",\"password\":\"correct horse battery\"}", null)
                .json().path("accessToken").asString();
        hub.post("/api/v1/users", "{\"email\":\"ada@example.com\",\"role\":\"member\",\"password\":\"analytical engine\"}", admin);
        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = context.newPage();
            page.navigate(hubUrl() + "/");
            page.locator("#login-email").fill("ada@example.com");
            page.locator("#login-password").fill("analytical engine");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
            page.navigate(hubUrl() + "/#/profile");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Link Test IdP")).click();
            providerLogin(page, "ada", "ada-password");
            page.waitForURL("**/#/profile**");
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("[data-testid=linked-identities]"))
                    .containsText("oidc");
            Chromium.screenshot(page, "oidc-linked");
        }
        try (BrowserContext context = chromium.browser.newContext()) {
            JsonNode session = signInWithProvider(context.newPage(), "ada", "ada-password");
            assertThat(session.path("user").path("email").asString()).as("the linked account, not a new one").isEqualTo("ada@example.com");
        }
    }
}
