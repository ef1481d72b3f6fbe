package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import org.junit.jupiter.api.Test;

/** A rule made in the UI fires on the real machine's data, shows up live, rings the bell and is acknowledged. */
class AlertsBrowserTest extends BrowserHubTest {

    @Test
    void aRuleCreatedInTheUiFiresLiveRingsTheBellAndIsAcknowledged() {
        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            context.setDefaultTimeout(DEADLINE_MS);
            Page page = context.newPage();
            page.navigate(base() + "/");
            createAdmin(page, "ada@example.com", "correct horse battery");
            Locator card = page.locator("[data-testid=server-card]").first();
            assertThat(card).isVisible();
            assertThat(card.locator("[data-testid=cpu-value]")).containsText("%");

            page.locator("[data-testid=nav-alerts]").click();
            assertThat(page.locator("[data-testid=alert-events]")).not().isVisible();
            page.locator("[data-testid=tab-rules]").click();
            page.locator("[data-testid=new-rule]").click();
            page.locator("#rule-name").fill("Memory in use");
            page.locator("#rule-metric").selectOption("memory.usage");
            page.locator("#rule-warning").fill("1");
            page.locator("#rule-critical").fill("0.5");
            page.locator("#rule-duration").fill("0");
            // The preview charts the machine's recent memory use against the thresholds.
            Locator preview = page.locator("[data-testid=rule-preview]");
            page.waitForFunction("el => Number(el.dataset.points) > 1", preview.elementHandle(),
                    new Page.WaitForFunctionOptions().setTimeout(DEADLINE_MS));
            assertThat(preview.locator("svg polyline")).isVisible();

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save rule")).click();
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("critical"); // critical below warning for ">"
            page.locator("#rule-critical").fill("");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save rule")).click();
            assertThat(page.locator("[data-testid=rule]")).containsText("Memory in use");
            Chromium.screenshot(page, "alert-rules-desktop");

            page.locator("[data-testid=tab-events]").click();
            Locator firing = page.locator("[data-testid=alert-event][data-state=firing]").first();
            assertThat(firing).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(DEADLINE_MS));
            assertThat(firing).hasAttribute("data-level", "warning");
            assertThat(firing).containsText("Memory in use");
            assertThat(page.locator("[data-testid=bell-count]")).isVisible();

            firing.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Acknowledge")).click();
            assertThat(firing.locator("[data-testid=acked]")).isVisible();
            Chromium.screenshot(page, "alert-events-desktop");

            // A critical threshold the value is past: the same incident goes up to critical, in place.
            String incident = firing.getAttribute("data-id");
            page.locator("[data-testid=tab-rules]").click();
            page.locator("[data-testid=rule]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit")).click();
            page.locator("#rule-critical").fill("2");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save rule")).click();
            assertThat(page.locator("[data-testid=rule]")).containsText("Memory in use");
            page.locator("[data-testid=tab-events]").click();
            Locator same = page.locator("[data-testid=alert-event][data-id='" + incident + "']");
            assertThat(same).hasAttribute("data-level", "critical", new LocatorAssertions.HasAttributeOptions().setTimeout(DEADLINE_MS));
            assertThat(page.locator("[data-testid=alert-event]")).hasCount(1);
            assertThat(same.locator("[data-testid=acked]")).isVisible();
            Chromium.screenshot(page, "alert-escalated-in-place");

            // Filters go to the API: only resolved ones hides it, only firing ones shows it; grouping by server heads it.
            page.locator("[data-testid=filter-state-resolved]").click();
            assertThat(page.locator("[data-testid=alert-event][data-state=firing]")).hasCount(0);
            page.locator("[data-testid=filter-state-resolved]").click();
            page.locator("[data-testid=filter-state-firing]").click();
            assertThat(firing).isVisible();
            page.locator("[data-testid=group-by]").selectOption("server");
            assertThat(page.locator("[data-testid=event-group] h3").first()).containsText("1");

            page.locator("[data-testid=bell]").click();
            assertThat(page.locator("[data-testid=notification-list] li").first()).containsText("Memory usage");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Mark all read")).click();
            assertThat(page.locator("[data-testid=bell-count]")).not().isVisible();
            // Each notice opens the server's page at its moment; the panel clears.
            assertThat(page.locator("[data-testid=notification] a").first())
                    .hasAttribute("href", java.util.regex.Pattern.compile("^#/servers/[^?]+\\?at=\\d+$"));
            page.locator("[data-testid=bell-clear-all]").click();
            assertThat(page.locator("[data-testid=notification]")).hasCount(0);
        }
    }
}
