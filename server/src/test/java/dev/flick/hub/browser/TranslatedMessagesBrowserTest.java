package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import dev.flick.hub.HubClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Messages the hub sends as codes read in Korean, at 360 px and at desktop width: a failed sign-in, an SSH server
 * that refuses the connection, and an alert notification in the bell's panel.
 */
class TranslatedMessagesBrowserTest extends BrowserHubTest {

    static final String EMAIL = "min@example.com";
    static final String PASSWORD = "correct horse battery";
    static String token;

    @DynamicPropertySource
    static void loopbackSsh(DynamicPropertyRegistry registry) {
        registry.add("flick.ssh.allow-loopback", () -> "true");
    }

    @BeforeEach
    void hubWithAnSshErrorAndAnAlert() throws Exception {
        HubClient hub = new HubClient(port);
        if (!hub.get("/api/v1/auth/status", null).json().path("setupRequired").asBoolean()) return;
        HubClient.Response setup = hub.post("/api/v1/auth/setup",
                "{\"name\":\"Min\",\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(setup.status()).isEqualTo(201);
        token = setup.json().path("accessToken").asString();
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HubClient.Response ssh = hub.post("/api/v1/servers", "{\"name\":\"nobody home\",\"mode\":\"ssh\",\"host\":\"127.0.0.1\",\"port\":"
                + closedPort + ",\"username\":\"root\",\"password\":\"x\",\"allowLoopback\":true}", token);
        assertThat(ssh.status()).as(ssh.body()).isEqualTo(201);
        HubClient.Response rule = hub.post("/api/v1/alerts/rules", """
                {"name":"Memory in use","metric":"memory.usage","comparator":">","warning":0.5,"durationSeconds":0,
                 "channelIds":[],"enabled":true}""", token);
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(ints = {360, 1280})
    void serverMessagesReadInKorean(int width) {
        Browser.NewContextOptions options = new Browser.NewContextOptions().setLocale("ko-KR").setViewportSize(width, 800);
        if (width < 600) options.setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true);
        try (BrowserContext context = chromium.browser.newContext(options)) {
            Page page = context.newPage();
            page.navigate(base() + "/");

            // A failed sign-in: the hub's code, not its English detail.
            page.locator("#login-email").fill(EMAIL);
            page.locator("#login-password").fill("not the password");
            page.locator("#login-password").press("Enter");
            Locator alert = page.locator("p.alert[role=alert]");
            assertThat(alert).hasText("이메일 또는 비밀번호가 틀렸습니다.");
            Chromium.screenshot(page, "ko-" + width + "-sign-in-failed");

            page.locator("#login-password").fill(PASSWORD);
            page.locator("#login-password").press("Enter");

            // The SSH server that refuses connections: its reason in Korean on its card.
            Locator card = page.locator("[data-testid=server-card]", new Page.LocatorOptions().setHasText("nobody home"));
            assertThat(card.locator("[data-testid=card-reason]"))
                    .containsText(java.util.regex.Pattern.compile("127\\.0\\.0\\.1:\\d+에 연결할 수 없습니다: 연결이 거부됨"));
            assertThat(card.locator("[data-testid=card-reason]")).not().containsText("Cannot reach");
            Chromium.screenshot(page, "ko-" + width + "-ssh-error");

            // The alert notification in the bell's panel.
            page.locator("[data-testid=bell]").click();
            Locator title = page.locator("[data-testid=bell-panel] [data-testid=notification-title]").first();
            assertThat(title).containsText(java.util.regex.Pattern.compile("^경고: .+의 메모리 사용률 값이 .+입니다\\(> "));
            assertThat(page.locator("[data-testid=bell-panel] [data-testid=notification]").first()).containsText("규칙 “Memory in use”.");
            Chromium.screenshot(page, "ko-" + width + "-alert-notification");
            Object scrollWidth = page.evaluate("document.documentElement.scrollWidth");
            assertThat(((Number) scrollWidth).intValue()).as("page width at " + width + " px").isLessThanOrEqualTo(width);
        }
    }
}
