package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import dev.flick.hub.stream.LiveSocketHandler;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.socket.CloseStatus;

/** A new user's first minutes in a real browser: setup, live dashboard, charts, and a dropped socket that leaves no gap. */
class BrowserFlowTest extends BrowserHubTest {

    @Autowired
    LiveSocketHandler sockets;

    @Test
    void firstRunSetupThenLiveDashboardAndChartsThatSurviveADroppedSocket() {
        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = context.newPage();
            page.navigate(base() + "/");

            page.locator("#setup-name").fill("Ada");
            page.locator("#setup-email").fill("ada@example.com");
            page.locator("#setup-password").fill("short");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Create account")).click();
            assertThat(page.getByText("at least 8 characters")).isVisible();

            page.locator("#setup-password").fill("correct horse battery");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Create account")).click();

            Locator card = page.locator("[data-testid=server-card]").first();
            assertThat(card).isVisible();
            Locator cpu = card.locator("[data-testid=cpu-value]");
            assertThat(cpu).containsText("%");
            String firstCpu = cpu.textContent();
            Chromium.screenshot(page, "dashboard-desktop");
            page.waitForFunction("([el, before]) => el.textContent !== before", new Object[] {cpu.elementHandle(), firstCpu},
                    new Page.WaitForFunctionOptions().setTimeout(15_000));

            card.click();
            Locator chart = page.locator("[data-testid=chart-cpu]");
            assertThat(chart.locator("canvas").first()).isVisible();
            page.waitForFunction("el => Number(el.dataset.points) >= 8", chart.elementHandle(),
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertThat(page.locator("[data-testid=top-processes] tbody tr").first()).isVisible();
            Chromium.screenshot(page, "server-desktop");

            int before = Integer.parseInt(chart.getAttribute("data-points"));
            sockets.closeAll(new CloseStatus(1012, "test: service restart"));
            page.waitForFunction("([el, n]) => Number(el.dataset.points) >= n + 8", new Object[] {chart.elementHandle(), before},
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertThat(page.locator("[data-testid=connection]")).containsText("live", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setIgnoreCase(true));
            long maxGap = Long.parseLong(chart.getAttribute("data-max-gap-ms"));
            assertThat(maxGap).as("largest gap in the live CPU chart after a dropped socket").isLessThanOrEqualTo(INTERVAL_MS * 3 / 2);

            chart.click(); // uPlot listens on its overlay above the canvas
            assertThat(page.locator("[data-testid=processes-at]")).isVisible();
            Chromium.screenshot(page, "processes-at-desktop");
        }
    }
}
