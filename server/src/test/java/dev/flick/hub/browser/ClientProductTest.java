package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.ColorScheme;

import dev.flick.hub.HubClient;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.live.LiveMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web client as a product, on a phone (390×844, touch) and a desktop: overview → server → zoom → moment
 * drill-down, processes, settings, dark mode, Korean, the offline screen and installability, with an axe-core scan
 * of every screen. Screenshots land in target/screenshots/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ClientProductTest {

    static final String EMAIL = "grace@example.com";
    static final String PASSWORD = "correct horse battery";
    static final Path AXE = Path.of("..", "web", "node_modules", "axe-core", "axe.min.js");
    static Chromium chromium;
    static String axeSource;

    @LocalServerPort
    int port;

    @Autowired
    LiveHub liveHub;

    enum Viewport {
        PHONE, DESKTOP;

        Browser.NewContextOptions options() {
            Browser.NewContextOptions o = new Browser.NewContextOptions().setLocale("en-US");
            return this == PHONE
                    ? o.setViewportSize(390, 844).setDeviceScaleFactor(3).setIsMobile(true).setHasTouch(true)
                    : o.setViewportSize(1366, 900);
        }

        String tag() {
            return name().toLowerCase();
        }
    }

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("flick-client-test");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> "500ms");
    }

    @BeforeAll
    static void browser() throws IOException {
        chromium = new Chromium();
        axeSource = Files.readString(AXE);
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) chromium.close();
    }

    @BeforeEach
    void admin() {
        HubClient hub = new HubClient(port);
        if (hub.get("/api/v1/auth/status", null).json().path("setupRequired").asBoolean()) {
            HubClient.Response r = hub.post("/api/v1/auth/setup",
                    "{\"name\":\"Grace\",\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}", null);
            assertThat(r.status()).isEqualTo(201);
        }
    }

    String base() {
        return "http://127.0.0.1:" + port + "/";
    }

    Page signIn(BrowserContext context) {
        Page page = context.pages().isEmpty() ? context.newPage() : context.pages().get(0);
        page.navigate(base());
        page.locator("#login-email").fill(EMAIL);
        page.locator("#login-password").fill(PASSWORD);
        page.locator("#login-password").press("Enter");
        assertThat(page.locator("[data-testid=server-card]").first()).isVisible();
        return page;
    }

    /** Runs axe-core on the screen and fails on any serious or critical violation. */
    static void accessible(Page page, String screen) {
        page.evaluate(axeSource);
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) page.evaluate("""
                async () => {
                  const r = await axe.run(document, { resultTypes: ['violations'] });
                  return r.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '));
                }""");
        assertThat(problems).as("axe-core serious/critical violations on " + screen).isEmpty();
    }

    static void waitForPoints(Locator chart, int n) {
        chart.page().waitForFunction("([el, n]) => Number(el.dataset.points) >= n", new Object[] {chart.elementHandle(), n},
                new Page.WaitForFunctionOptions().setTimeout(20_000));
    }

    @ParameterizedTest
    @EnumSource(Viewport.class)
    void overviewThenServerThenZoomThenMomentDrillDownThenProcessesAndSettings(Viewport viewport) {
        try (BrowserContext context = chromium.browser.newContext(viewport.options())) {
            Page page = signIn(context);
            Locator card = page.locator("[data-testid=server-card]").first();
            assertThat(card.locator("[data-testid=cpu-value]")).containsText("%");
            assertThat(page.locator("nav [data-nav=overview]")).hasAttribute("aria-current", "page");
            // The card's sparkline draws as live points arrive.
            page.waitForFunction("el => el.querySelectorAll('.spark path').length > 0", card.elementHandle(),
                    new Page.WaitForFunctionOptions().setTimeout(15_000));

            // Search, filter and sort narrow and order the cards.
            page.locator("#server-search").fill("no-such-server");
            assertThat(page.locator("[data-testid=server-card]")).hasCount(0);
            page.locator("#server-search").fill("");
            page.locator("[data-filter=offline]").click();
            assertThat(page.locator("[data-testid=server-card]")).hasCount(0);
            page.locator("[data-filter=all]").click();
            page.locator("#server-sort").selectOption("cpu");
            assertThat(card).isVisible();

            // A firing alert on the live socket puts a badge on the card; resolving it takes the badge away.
            String serverId = card.getAttribute("data-server-id");
            String eventId = "e-" + viewport.tag();
            liveHub.send(new LiveMessage.Alert(serverId, java.util.Map.of("id", eventId, "serverId", serverId, "state", "firing")));
            assertThat(card.locator("[data-testid=alert-badge] [aria-hidden=true]")).hasText("1");
            Chromium.screenshot(page, "overview-" + viewport.tag());
            accessible(page, "overview " + viewport.tag());
            liveHub.send(new LiveMessage.Alert(serverId, java.util.Map.of("id", eventId, "serverId", serverId, "state", "resolved")));
            assertThat(card.locator("[data-testid=alert-badge]")).hasCount(0);

            if (viewport == Viewport.DESKTOP) {
                // By keyboard: Tab through the top bar, the rail and the overview's controls to the card, then Enter.
                tabTo(page, "[data-testid=server-card]");
                page.keyboard().press("Enter");
            } else {
                card.click();
            }
            Locator chart = page.locator("[data-testid=chart-cpu]");
            assertThat(chart.locator("canvas").first()).isVisible();
            page.waitForFunction("() => document.activeElement && document.activeElement.tagName === 'MAIN'");
            waitForPoints(chart, 6);
            assertThat(page.locator("[data-testid=top-processes] tbody tr").first()).isVisible();
            Chromium.screenshot(page, "server-" + viewport.tag());
            accessible(page, "server " + viewport.tag());

            // Every range answers; back to live for the zoom.
            for (String range : List.of("1h", "24h", "7d", "30d", "live")) {
                page.locator("[data-range='" + range + "']").click();
                assertThat(page.locator("[data-range='" + range + "']")).hasAttribute("aria-checked", "true");
            }
            // The live axis spans its whole 5 minutes however little data there is yet (issue 14): wait for 30 s of
            // points at the 500 ms interval, so the dragged stretch (the last 2 minutes but 3 s) holds data.
            chart.page().waitForFunction("([el, n]) => Number(el.dataset.points) >= n", new Object[] {chart.elementHandle(), 60},
                    new Page.WaitForFunctionOptions().setTimeout(60_000));

            // Zoom: drag across the recent part of the CPU chart (a long press, then a drag, on touch).
            chart.locator(".u-over").scrollIntoViewIfNeeded();
            BoundingBox box = chart.locator(".u-over").boundingBox();
            double y = box.y + box.height / 2;
            double x1 = box.x + box.width * 0.60;
            double x2 = box.x + box.width * 0.99;
            if (viewport == Viewport.PHONE) {
                // A finger sliding sideways scrubs: the legend follows it with the value under the finger.
                CDPSession cdp = page.context().newCDPSession(page);
                cdp.send("Input.dispatchTouchEvent", touch("touchStart", x1, y));
                for (int i = 1; i <= 5; i++) cdp.send("Input.dispatchTouchEvent", touch("touchMove", x1 + (x2 - x1) * i / 10, y));
                assertThat(chart.locator(".u-legend .u-series").nth(1).locator(".u-value")).containsText("%");
                cdp.send("Input.dispatchTouchEvent", touchEnd());
                cdp.detach();
                assertThat(page.locator("[data-range=live]")).hasAttribute("aria-checked", "true");
                touchDrag(page, x1, x2, y);
            }
            else {
                page.mouse().move(x1, y);
                page.mouse().down();
                page.mouse().move(x2, y, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(12));
                page.mouse().up();
            }
            assertThat(page.locator("[data-range=custom]")).hasAttribute("aria-checked", "true");
            assertThat(page.locator("[data-testid=range-window]")).isVisible();
            waitForPoints(chart, 1);
            Chromium.screenshot(page, "server-zoomed-" + viewport.tag());

            // Tap or click a moment: the processes at that time.
            chart.locator(".u-over").scrollIntoViewIfNeeded();
            BoundingBox zoomed = chart.locator(".u-over").boundingBox();
            double mx = zoomed.x + zoomed.width / 2;
            double my = zoomed.y + zoomed.height / 2;
            if (viewport == Viewport.PHONE) page.touchscreen().tap(mx, my);
            else page.mouse().click(mx, my);
            Locator at = page.locator("[data-testid=processes-at]");
            assertThat(at).isVisible();
            assertThat(at.locator("tbody tr").first()).isVisible();
            at.scrollIntoViewIfNeeded();
            Chromium.screenshot(page, "processes-at-" + viewport.tag());
            accessible(page, "server zoomed with processes " + viewport.tag());
            page.keyboard().press("Escape"); // the side sheet closes; the page under it is as it was
            assertThat(page.locator("[data-testid=processes-sheet]")).isHidden();
            page.locator("[data-testid=reset-zoom]").click();
            assertThat(page.locator("[data-range=live]")).hasAttribute("aria-checked", "true");

            // Processes: live top by CPU and by memory, sortable.
            page.locator("nav [data-nav=processes]").click();
            Locator byCpu = page.locator("[data-testid=processes-by-cpu]");
            Locator byMemory = page.locator("[data-testid=processes-by-memory]");
            assertThat(byCpu.locator("tbody tr").first()).isVisible();
            assertThat(byMemory.locator("th[aria-sort=descending]")).containsText("Memory");
            Chromium.screenshot(page, "processes-" + viewport.tag());
            accessible(page, "processes " + viewport.tag());
            byMemory.locator("th button").first().click();
            assertThat(byMemory.locator("th[aria-sort=descending]")).containsText("CPU");

            page.locator("nav [data-nav=settings]").click();
            assertThat(page.locator("[data-testid=profile-name]")).hasText("Grace");
            Chromium.screenshot(page, "settings-" + viewport.tag());
            accessible(page, "settings " + viewport.tag());
        }
    }

    /** Presses Tab until the focused element matches the selector (at most 40 times). */
    static void tabTo(Page page, String selector) {
        for (int i = 0; i < 40; i++) {
            page.keyboard().press("Tab");
            if ((Boolean) page.evaluate("s => document.activeElement != null && document.activeElement.matches(s)", selector)) return;
        }
        throw new AssertionError("Tab never reached " + selector);
    }

    /** A long press, then a drag, as a finger does it (through the DevTools protocol, which Playwright lacks a call for). */
    static void touchDrag(Page page, double x1, double x2, double y) {
        CDPSession cdp = page.context().newCDPSession(page);
        cdp.send("Input.dispatchTouchEvent", touch("touchStart", x1, y));
        page.waitForTimeout(600);
        for (int i = 1; i <= 10; i++) cdp.send("Input.dispatchTouchEvent", touch("touchMove", x1 + (x2 - x1) * i / 10, y));
        cdp.send("Input.dispatchTouchEvent", touchEnd());
        cdp.detach();
    }

    static JsonObject touchEnd() {
        JsonObject end = new JsonObject();
        end.addProperty("type", "touchEnd");
        end.add("touchPoints", new JsonArray());
        return end;
    }

    static JsonObject touch(String type, double x, double y) {
        JsonObject point = new JsonObject();
        point.addProperty("x", x);
        point.addProperty("y", y);
        JsonArray points = new JsonArray();
        points.add(point);
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.add("touchPoints", points);
        return o;
    }

    @ParameterizedTest
    @EnumSource(Viewport.class)
    void darkModeBySystemAndBySwitchThatIsRemembered(Viewport viewport) {
        try (BrowserContext context = chromium.browser.newContext(viewport.options().setColorScheme(ColorScheme.DARK))) {
            Page page = signIn(context);
            assertThat(backgroundLuminance(page)).as("follows the system's dark preference").isLessThan(0.1);
            accessible(page, "overview dark " + viewport.tag());

            page.locator("nav [data-nav=settings]").click();
            page.locator("label[for=theme-light]").click();
            assertThat(page.locator("html")).hasAttribute("data-theme", "light");
            assertThat(backgroundLuminance(page)).as("the switch overrides the system").isGreaterThan(0.8);
            page.locator("label[for=theme-dark]").click();
            assertThat(page.locator("html")).hasAttribute("data-theme", "dark");
            accessible(page, "settings dark " + viewport.tag());
            Chromium.screenshot(page, "settings-dark-" + viewport.tag());

            page.reload();
            assertThat(page.locator("html")).hasAttribute("data-theme", "dark");
            page.locator("nav [data-nav=overview]").click();
            page.locator("[data-testid=server-card]").first().click();
            waitForPoints(page.locator("[data-testid=chart-cpu]"), 4);
            assertThat(backgroundLuminance(page)).isLessThan(0.1);
            Chromium.screenshot(page, "server-dark-" + viewport.tag());
            accessible(page, "server dark " + viewport.tag());
        }
    }

    static double backgroundLuminance(Page page) {
        return ((Number) page.evaluate("""
                () => {
                  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
                  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
                }""")).doubleValue();
    }

    @ParameterizedTest
    @EnumSource(Viewport.class)
    void koreanFromTheBrowserLanguageAndTheSwitch(Viewport viewport) {
        try (BrowserContext context = chromium.browser.newContext(viewport.options().setLocale("ko-KR"))) {
            Page page = context.newPage();
            page.navigate(base());
            assertThat(page.locator("html")).hasAttribute("lang", "ko");
            assertThat(page.locator("#login-title")).hasText("FLick에 로그인");
            page.locator("#login-email").fill(EMAIL);
            page.locator("#login-password").fill(PASSWORD);
            page.locator("#login-password").press("Enter");
            assertThat(page.locator("nav [data-nav=overview]")).containsText("개요");
            assertThat(page.locator("[data-testid=server-card]").first()).isVisible();
            Chromium.screenshot(page, "overview-ko-" + viewport.tag());
            accessible(page, "overview ko " + viewport.tag());

            page.locator("[data-testid=server-card]").first().click();
            waitForPoints(page.locator("[data-testid=chart-cpu]"), 4);
            assertThat(page.locator("[data-range=live]")).hasText("실시간 5분");
            Chromium.screenshot(page, "server-ko-" + viewport.tag());
            accessible(page, "server ko " + viewport.tag());

            page.locator("nav [data-nav=processes]").click();
            assertThat(page.locator("main h1")).hasText("프로세스");
            assertThat(page.locator("[data-testid=processes-by-cpu] caption")).hasText("CPU 상위");

            page.locator("nav [data-nav=settings]").click();
            page.locator("label[for=lang-en]").click();
            assertThat(page.locator("main h1")).hasText("Settings");
            assertThat(page.locator("html")).hasAttribute("lang", "en");
            page.locator("label[for=lang-ko]").click();
            assertThat(page.locator("main h1")).hasText("설정");
            Chromium.screenshot(page, "settings-ko-" + viewport.tag());
            accessible(page, "settings ko " + viewport.tag());
        }
    }

    @Test
    void installableWithAnActiveServiceWorkerAndAnOfflineScreen() throws IOException {
        Path profile = Files.createTempDirectory("flick-chromium-profile");
        try (BrowserContext context = chromium.persistentContext(profile, 390, 844)) {
            Page page = signIn(context);
            assertThat(page.locator("link[rel=manifest]")).hasAttribute("href", "./manifest.webmanifest");
            // Bounded: a worker whose install fails (a shell file the hub does not serve) never becomes ready.
            Object scope = page.evaluate("() => Promise.race([navigator.serviceWorker.ready.then(r => r.active && r.active.state === 'activated' ? r.scope : null),"
                    + " new Promise(r => setTimeout(() => r('no active service worker within 60 s'), 60000))])");
            assertThat(scope).isEqualTo(base());
            @SuppressWarnings("unchecked")
            Map<String, Object> manifest = (Map<String, Object>) page.evaluate(
                    "() => fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())");
            assertThat(manifest).containsEntry("display", "standalone").containsKey("start_url").containsKey("name");
            assertThat(manifest.get("icons").toString()).contains("192x192").contains("512x512").contains("maskable");

            CDPSession cdp = context.newCDPSession(page);
            JsonObject installability = cdp.send("Page.getInstallabilityErrors");
            assertThat(installability.getAsJsonArray("installabilityErrors")).as(installability.toString()).isEmpty();
            cdp.detach();

            // The worker controls the page after a reload; then the network goes away.
            page.reload();
            page.waitForFunction("() => navigator.serviceWorker.controller !== null");
            assertThat(page.locator("[data-testid=server-card]").first()).isVisible();
            context.setOffline(true);
            page.reload();
            Locator offline = page.locator("[data-testid=offline-screen]");
            assertThat(offline).isVisible();
            assertThat(offline).containsText("offline");
            Chromium.screenshot(page, "offline-phone");
            accessible(page, "offline phone");

            // Back online: the screen retries by itself and the app returns.
            context.setOffline(false);
            assertThat(page.locator("[data-testid=server-card]").first()).isVisible(
                    new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
        }
    }

    @Test
    void dashboardShowsLiveNumbersWithinASecondOfNavigation() {
        try (BrowserContext context = chromium.browser.newContext(Viewport.DESKTOP.options())) {
            Page page = signIn(context);
            page.addInitScript("""
                    (() => {
                      const seen = () => {
                        const el = document.querySelector('[data-testid=cpu-value]');
                        if (el && /\\d/.test(el.textContent)) { window.__firstLiveMs = performance.now(); return true; }
                        return false;
                      };
                      new MutationObserver((_, mo) => { if (seen()) mo.disconnect(); })
                        .observe(document, { subtree: true, childList: true, characterData: true });
                    })();""");
            double[] samples = new double[5];
            for (int i = 0; i < samples.length; i++) {
                page.reload();
                page.waitForFunction("() => window.__firstLiveMs !== undefined");
                samples[i] = ((Number) page.evaluate("() => window.__firstLiveMs")).doubleValue();
            }
            double[] sorted = samples.clone();
            java.util.Arrays.sort(sorted);
            System.out.printf("Web client: first live CPU value after navigation (ms): %s, median %.0f%n",
                    java.util.Arrays.toString(samples), sorted[sorted.length / 2]);
            assertThat(sorted[sorted.length / 2]).as("median ms from navigation start to a live CPU number").isLessThanOrEqualTo(1000);
        }
    }
}
