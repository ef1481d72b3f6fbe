package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;

import dev.flick.hub.HubClient;
import dev.flick.hub.collect.TestSshd;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Adding an SSH server in the dialog: the first host key it presents is shown for confirmation (nothing is collected
 * before), and accepting it in the dialog starts collection. At 360 px and desktop width, in English and Korean.
 */
class SshHostKeyBrowserTest extends BrowserHubTest {

    static final String EMAIL = "ada@example.com";
    static final String PASSWORD = "correct horse battery";
    static TestSshd sshd;

    @DynamicPropertySource
    static void ssh(DynamicPropertyRegistry registry) {
        registry.add("flick.local-collector", () -> "false");
        // sshd listens on 127.0.0.1, which SSH servers may not point at otherwise.
        registry.add("flick.ssh.allow-loopback", () -> "true");
    }

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = new TestSshd();
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) sshd.close();
    }

    @BeforeEach
    void admin() {
        HubClient hub = new HubClient(port);
        if (hub.get("/api/v1/auth/status", null).json().path("setupRequired").asBoolean()) {
            assertThat(hub.post("/api/v1/auth/setup", "{\"name\":\"Ada\",\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}",
                    null).status()).isEqualTo(201);
        }
    }

    @ParameterizedTest
    @CsvSource({"360, en-US", "360, ko-KR", "1280, en-US", "1280, ko-KR"})
    void theDialogShowsTheFirstHostKeyAndAcceptingItStartsCollection(int width, String locale) throws Exception {
        String tag = width + "-" + locale.substring(0, 2);
        String name = "ssh " + tag;
        Browser.NewContextOptions options = new Browser.NewContextOptions().setLocale(locale).setViewportSize(width, width < 600 ? 740 : 900);
        if (width < 600) options.setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true);
        try (BrowserContext context = chromium.browser.newContext(options)) {
            Page page = context.newPage();
            page.navigate(base() + "/");
            page.locator("#login-email").fill(EMAIL);
            page.locator("#login-password").fill(PASSWORD);
            page.locator("#login-password").press("Enter");
            assertThat(page.locator("html")).hasAttribute("lang", locale.substring(0, 2));

            page.locator("[data-testid=add-server]").click();
            Locator dialog = page.locator("[data-testid=server-dialog]");
            dialog.locator("[data-testid=mode-ssh]").check();
            page.locator("#server-name").fill(name);
            page.locator("#server-host").fill("127.0.0.1");
            page.locator("#server-port").fill(Integer.toString(sshd.port));
            page.locator("#server-username").fill("root");
            page.locator("[data-testid=auth-key]").check();
            page.locator("#server-key").fill(sshd.clientKey);
            page.locator("[data-testid=dialog-submit]").click();

            // The key the server presented, as ssh-keygen prints it, waits for the user; nothing is collected yet.
            Locator confirm = dialog.locator("[data-testid=host-key-confirm]");
            assertThat(confirm.locator("[data-testid=host-key-offered]")).hasText(sshd.hostKeyFingerprint());
            assertThat(confirm.locator("[data-testid=host-key-type]")).hasText("ssh-ed25519");
            assertThat(confirm).containsText("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub");
            assertThat(confirm.locator("[data-testid=reject-host-key]")).isVisible();
            assertThat(dialog.locator("[data-testid=connected]")).hasCount(0);
            fitsWithin(page, dialog, width, "ssh host key confirm " + tag);
            HubClient hub = new HubClient(port);
            String token = hub.post("/api/v1/auth/login", "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}", null)
                    .json().get("accessToken").asString();
            String id = null;
            for (var s : hub.get("/api/v1/servers", token).json()) {
                if (name.equals(s.path("name").asString())) id = s.get("id").asString();
            }
            assertThat(id).isNotNull();
            assertThat(hub.get("/api/v1/servers/" + id, token).json().path("latest").isMissingNode())
                    .as("no samples before the key is accepted").isTrue();

            confirm.locator("[data-testid=accept-host-key]").click();
            assertThat(dialog.locator("[data-testid=connected]")).isVisible();
            assertThat(dialog.locator("[data-testid=host-key] code").first()).hasText(sshd.hostKeyFingerprint());
            fitsWithin(page, dialog, width, "ssh host key accepted " + tag);
            page.locator("[data-testid=dialog-done]").click();
            Locator card = page.locator("[data-testid=server-card]", new Page.LocatorOptions().setHasText(name));
            assertThat(card.locator("[data-status=online]")).isVisible();
        }
    }

    /** The dialog, and every control in it, lies within the viewport; the page is no wider than it. */
    private static void fitsWithin(Page page, Locator dialog, int width, String what) {
        BoundingBox box = dialog.boundingBox();
        assertThat(box.x).as(what + " left").isGreaterThanOrEqualTo(-0.5);
        assertThat(box.x + box.width).as(what + " right").isLessThanOrEqualTo(width + 0.5);
        Object cut = dialog.evaluate("""
                (d, w) => [...d.querySelectorAll('button, input, textarea, label, p, h2, code')]
                    .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > Math.min(w, d.getBoundingClientRect().right) + 0.5; })
                    .map(e => e.tagName.toLowerCase() + ' "' + (e.textContent || '').trim().slice(0, 30) + '"')""", width);
        Chromium.screenshot(page, what.replaceAll("[^a-z0-9]+", "-"));
        assertThat((java.util.List<?>) cut).as(what + ": controls past its edge").isEmpty();
        assertThat(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue()).as(what + " scroll width")
                .isLessThanOrEqualTo(width);
    }
}
