package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;

import dev.flick.hub.collect.TestPodman;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Containers view of the hub's own host against a real Podman engine (issue 12): running and stopped containers
 * in a sortable table, the busiest first, a row choosing whose CPU and memory are charted, a moment picked on a chart
 * showing the containers stored then; at desktop width in English and at 360 px in Korean, no wider than the phone.
 */
class ContainersBrowserTest extends BrowserHubTest {

    static TestPodman podman;

    @DynamicPropertySource
    static void engine(DynamicPropertyRegistry registry) throws Exception {
        podman = new TestPodman();
        registry.add("flick.container-socket", () -> podman.socket.toString());
    }

    @AfterAll
    static void removeContainers() throws Exception {
        if (podman != null) podman.close();
    }

    @Test
    void containersAreListedSortedChartedAndShownAtAPastMoment() throws Exception {
        podman.run("ui-burn", TestPodman.IMAGE, "sh", "-c", "yes > /dev/null");
        podman.run("ui-idle", TestPodman.IMAGE, "sleep", "300");
        podman.run("ui-stopped", TestPodman.IMAGE, "sleep", "300");
        podman.stop("ui-stopped");

        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900).setLocale("en-US"))) {
            Page page = context.newPage();
            page.navigate(base() + "/");
            createAdmin(page, "ada@example.com", "correct horse battery");
            page.locator("[data-testid=server-card]").first().click();

            Locator table = page.locator("[data-testid=containers-table]");
            assertThat(table.locator("tr[data-container=ui-stopped]")).hasAttribute("data-state", "exited");
            assertThat(table.locator("tr[data-container=ui-idle]")).hasAttribute("data-state", "running");
            // Sorted by CPU, busiest first, by default: the burner leads once its CPU is measured.
            assertThat(table.locator("tbody tr").first()).hasAttribute("data-container", "ui-burn");
            assertThat(caption(page, "chart-container-cpu")).containsText("ui-burn");

            table.locator("thead th", new Locator.LocatorOptions().setHasText("Name")).click();
            assertThat(table.locator("tbody tr").first()).hasAttribute("data-container", "ui-burn");
            assertThat(table.locator("tbody tr").last()).hasAttribute("data-container", "ui-stopped");
            table.locator("tr[data-container=ui-idle]").click();
            assertThat(table.locator("tr[data-container=ui-idle]")).hasClass(java.util.regex.Pattern.compile("chosen"));
            assertThat(caption(page, "chart-container-memory")).containsText("ui-idle");

            // A moment picked on the container's chart: the containers stored nearest to it.
            Locator chart = page.locator("[data-testid=chart-container-cpu]");
            page.waitForFunction("([el, n]) => Number(el.dataset.points) >= n", new Object[] {chart.elementHandle(), 6},
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            chart.locator(".u-over").scrollIntoViewIfNeeded();
            BoundingBox box = chart.locator(".u-over").boundingBox();
            page.mouse().click(box.x + box.width * 0.985, box.y + box.height / 2);
            Locator at = page.locator("[data-testid=containers-at-table]");
            assertThat(at.locator("tr[data-container=ui-burn]")).hasAttribute("data-state", "running");
            assertThat(page.locator("#containers-title")).containsText("Containers at");
            Chromium.screenshot(page, "containers-desktop");
        }

        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(PhoneWidthBrowserTest.WIDTH, 800).setLocale("ko-KR").setIsMobile(true).setHasTouch(true))) {
            Page page = context.newPage();
            page.navigate(base() + "/");
            signIn(page);
            page.locator("[data-testid=server-card]").first().click();
            assertThat(page.locator("[data-testid=containers-table] tr[data-container=ui-burn]")).isVisible();
            assertThat(page.locator("#containers-title")).hasText("컨테이너");
            page.locator("[data-testid=containers]").scrollIntoViewIfNeeded();
            PhoneWidthBrowserTest.fits(page, "containers ko");
        }
    }

    private static Locator caption(Page page, String testid) {
        return page.locator("figure:has([data-testid=" + testid + "]) figcaption");
    }

    private static void signIn(Page page) {
        page.locator("#login-email").fill("ada@example.com");
        page.locator("#login-password").fill("correct horse battery");
        page.locator("#login-password").press("Enter");
    }
}
