package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;

import dev.flick.hub.HubClient;

import org.junit.jupiter.api.Test;

/** When the hub cannot be reached the screen says so within three seconds, greys its values and keeps counting. */
class StaleStateBrowserTest extends BrowserHubTest {

    static final String EMAIL = "lin@example.com";
    static final String PASSWORD = "correct horse battery";

    @Test
    void marksEveryValueStaleWithinThreeSecondsOfLosingTheHubAndRecovers() {
        HubClient hub = new HubClient(port);
        assertThat(hub.post("/api/v1/auth/setup",
                "{\"name\":\"Lin\",\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}", null).status()).isEqualTo(201);
        try (BrowserContext context = chromium.browser.newContext()) {
            Page page = context.newPage();
            page.navigate(base() + "/");
            page.locator("#login-email").fill(EMAIL);
            page.locator("#login-password").fill(PASSWORD);
            page.locator("#login-password").press("Enter");
            Locator card = page.locator("[data-testid=server-card]").first();
            Locator seen = card.locator("[data-testid=last-seen]");
            assertThat(seen).hasAttribute("data-ago", java.util.regex.Pattern.compile("^[0-2]$"));
            Locator banner = page.locator("[data-testid=stale-banner]");
            assertThat(banner).isHidden();

            context.setOffline(true);
            assertThat(banner).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(3_000));
            assertThat(page.locator("html")).hasAttribute("data-stale", "");
            assertThat(card).hasCSS("filter", "grayscale(1)");
            // "Last seen" keeps counting while nothing arrives.
            page.waitForFunction("el => Number(el.dataset.ago) >= 4", seen.elementHandle(),
                    new Page.WaitForFunctionOptions().setTimeout(DEADLINE_MS));

            context.setOffline(false);
            assertThat(banner).isHidden();
            assertThat(seen).hasAttribute("data-ago", java.util.regex.Pattern.compile("^[0-2]$"));
            assertThat(card).hasCSS("filter", "none");
        }
    }
}
