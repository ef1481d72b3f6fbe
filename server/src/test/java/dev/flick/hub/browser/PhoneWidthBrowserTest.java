package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;

import dev.flick.hub.HubClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 360×740 phone in English and Korean: every screen fits the viewport (no sideways scrolling), every dialog and
 * panel lies within it with all its controls, and panels close on Escape, an outside tap and navigation.
 */
class PhoneWidthBrowserTest extends BrowserHubTest {

    static final int WIDTH = 360;
    static final int HEIGHT = 740;
    static final String EMAIL = "ada@example.com";
    static final String PASSWORD = "correct horse battery";

    @BeforeEach
    void admin() {
        HubClient hub = new HubClient(port);
        if (hub.get("/api/v1/auth/status", null).json().path("setupRequired").asBoolean()) {
            HubClient.Response r = hub.post("/api/v1/auth/setup",
                    "{\"name\":\"Ada\",\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}", null);
            assertThat(r.status()).isEqualTo(201);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"en-US", "ko-KR"})
    void everyScreenAndDialogFitsA360PxPhone(String locale) {
        Browser.NewContextOptions phone = new Browser.NewContextOptions().setLocale(locale)
                .setViewportSize(WIDTH, HEIGHT).setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true);
        try (BrowserContext context = chromium.browser.newContext(phone)) {
            Page page = context.newPage();
            page.navigate(base() + "/");
            page.locator("#login-email").fill(EMAIL);
            page.locator("#login-password").fill(PASSWORD);
            page.locator("#login-password").press("Enter");
            Locator card = page.locator("[data-testid=server-card]").first();
            assertThat(card).isVisible();
            assertThat(page.locator("html")).hasAttribute("lang", locale.substring(0, 2));
            String tag = locale.substring(0, 2);
            fits(page, "overview " + tag);

            // The bell's panel: within the screen; closes on Escape, an outside tap and navigation.
            Locator bell = page.locator("[data-testid=bell]");
            Locator panel = page.locator("[data-testid=bell-panel]");
            bell.click();
            within(page, panel, "notification panel " + tag);
            page.keyboard().press("Escape");
            assertThat(panel).isHidden();
            bell.click();
            assertThat(panel).isVisible();
            page.touchscreen().tap(WIDTH / 2.0, HEIGHT - 200);
            assertThat(panel).isHidden();
            bell.click();
            assertThat(panel).isVisible();
            page.evaluate("location.hash = '#/processes'");
            assertThat(panel).isHidden();
            page.evaluate("location.hash = '#/'");

            // Add a server: the agent form and the SSH form.
            page.locator("[data-testid=add-server]").click();
            Locator addDialog = page.locator("[data-testid=server-dialog]");
            within(page, addDialog, "add server (agent) " + tag);
            addDialog.locator("[data-testid=mode-ssh]").check();
            within(page, addDialog, "add server (SSH) " + tag);
            page.keyboard().press("Escape");
            assertThat(addDialog).isHidden();

            // The server page, its Share and Edit dialogs, and the processes of a moment.
            card.click();
            Locator chart = page.locator("[data-testid=chart-cpu]");
            page.waitForFunction("el => Number(el.dataset.points) >= 3", chart.elementHandle(),
                    new Page.WaitForFunctionOptions().setTimeout(DEADLINE_MS));
            fits(page, "server " + tag);
            for (String c : List.of("chart-cpu", "chart-memory", "chart-network")) {
                Locator one = page.locator("[data-testid=" + c + "]").locator("xpath=ancestor::figure");
                one.scrollIntoViewIfNeeded();
                one.screenshot(new Locator.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("phone-360-" + c + "-" + tag + ".png")));
            }
            page.locator("[data-testid=share-server]").click();
            Locator share = page.locator("[data-testid=share-dialog]");
            within(page, share, "share " + tag);
            page.keyboard().press("Escape");
            assertThat(share).isHidden();

            chart.locator(".u-over").scrollIntoViewIfNeeded();
            BoundingBox plot = chart.locator(".u-over").boundingBox();
            page.touchscreen().tap(plot.x + plot.width * 0.8, plot.y + plot.height / 2);
            Locator sheet = page.locator("[data-testid=processes-sheet]");
            assertThat(sheet.locator("[data-testid=processes-at] tbody tr").first()).isVisible();
            within(page, sheet, "processes at a moment " + tag);
            page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("phone-360-sheet-" + tag + ".png")));
            page.keyboard().press("Escape");
            assertThat(sheet).isHidden();

            // Every other screen, once what it loads has arrived (an element each only shows then).
            Map<String, String> screens = new java.util.LinkedHashMap<>();
            screens.put("#/processes", "[data-testid=process-server]");
            screens.put("#/alerts", "main h1");
            screens.put("#/logs", "[data-testid=logs-q]");
            screens.put("#/settings", "[data-testid=open-profile]");
            screens.put("#/profile", "main h1");
            screens.put("#/users", "[data-testid=users-table] tbody tr");
            for (Map.Entry<String, String> screen : screens.entrySet()) {
                page.evaluate("h => location.hash = h", screen.getKey());
                assertThat(page.locator(screen.getValue()).first()).isVisible();
                fits(page, screen.getKey() + " " + tag);
                if (screen.getKey().equals("#/logs")) {
                    page.locator("[data-testid=logs-filters-toggle]").click();
                    assertThat(page.locator("[data-testid=logs-range]")).isVisible();
                    fits(page, "#/logs filters " + tag);
                }
            }
        }
    }

    /** The page is no wider than the phone; names the widest offenders when it is. */
    static void fits(Page page, String screen) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) page.evaluate("""
                (w) => {
                  // The innermost elements past the edge (what pushes the page wider), not the fixed bars it stretches.
                  const past = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > w + 0.5; };
                  const out = [];
                  for (const e of document.querySelectorAll('main *, dialog *')) {
                    if (past(e) && ![...e.children].some(past)) {
                      out.push(e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' "' + (e.textContent || '').trim().slice(0, 24) + '" right=' + Math.round(e.getBoundingClientRect().right));
                    }
                  }
                  return { width: document.documentElement.scrollWidth, offenders: out.slice(0, 6).join(' | ') };
                }""", WIDTH);
        Chromium.screenshot(page, "phone-360-" + screen.replaceAll("[^a-z0-9]+", "-"));
        assertThat(((Number) m.get("width")).intValue()).as(screen + " scroll width; past the edge: " + m.get("offenders"))
                .isLessThanOrEqualTo(WIDTH);
    }

    /** The dialog or panel and every control in it lie within the viewport. */
    static void within(Page page, Locator dialog, String what) {
        assertThat(dialog).isVisible();
        BoundingBox box = dialog.boundingBox();
        assertThat(box.x).as(what + " left").isGreaterThanOrEqualTo(-0.5);
        assertThat(box.x + box.width).as(what + " right").isLessThanOrEqualTo(WIDTH + 0.5);
        @SuppressWarnings("unchecked")
        List<String> cut = (List<String>) dialog.evaluate("""
                (d, w) => {
                  const box = d.getBoundingClientRect();
                  return [...d.querySelectorAll('button, input, select, textarea, a, label, p, h2, pre, code')]
                    .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < Math.max(0, box.left) - 0.5 || r.right > Math.min(w, box.right) + 0.5); })
                    .slice(0, 6)
                    .map(e => e.tagName.toLowerCase() + ' "' + (e.textContent || e.getAttribute('name') || '').trim().slice(0, 30) + '" ' + Math.round(e.getBoundingClientRect().left) + '–' + Math.round(e.getBoundingClientRect().right));
                }""", WIDTH);
        Chromium.screenshot(page, "phone-360-" + what.replaceAll("[^a-z0-9]+", "-"));
        assertThat(cut).as(what + ": controls past its edges").isEmpty();
    }
}
