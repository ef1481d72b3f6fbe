package dev.flick.hub.browser;

import java.nio.file.Files;
import java.nio.file.Path;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A whole hub on a fresh SQLite data dir, sampling this machine every 500 ms, and Debian's Chromium to drive it.
 * Subclasses add their own properties with another {@code @DynamicPropertySource}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
abstract class BrowserHubTest {

    static final long INTERVAL_MS = 500;
    static Chromium chromium;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void freshHub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-browser");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> INTERVAL_MS + "ms");
    }

    /** Generous deadlines for every web assertion: CI shares two cores with other builds (load average 20 seen). */
    static final double DEADLINE_MS = 30_000;

    @BeforeAll
    static void browser() {
        PlaywrightAssertions.setDefaultAssertionTimeout(DEADLINE_MS);
        chromium = new Chromium();
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) chromium.close();
    }

    /** The hub's address, without a trailing slash. */
    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The first-run screen: creates the admin account and lands on the dashboard. */
    static void createAdmin(Page page, String email, String password) {
        page.locator("#setup-email").fill(email);
        page.locator("#setup-password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
    }
}
