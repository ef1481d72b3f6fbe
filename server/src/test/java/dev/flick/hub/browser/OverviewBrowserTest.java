package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import dev.flick.collector.Snapshot;
import dev.flick.hub.HubClient;
import dev.flick.hub.metrics.Ingest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The overview (issue 14 point 5) at 360 px and at desktop width, in English and Korean: a server at 100 % CPU is
 * coloured red where one at 5 % is not (values through the real ingest path), the table sorts by a column either
 * way, a group folds and stays folded across a reload, a tag filters, and nothing is wider than the screen.
 */
class OverviewBrowserTest extends BrowserHubTest {

    static final String EMAIL = "ada@example.com";
    static final String PASSWORD = "correct horse battery";

    @Autowired
    Ingest ingest;

    String admin;
    String busy;
    String idle;
    String groupId;
    final List<String> spares = new ArrayList<>();
    ScheduledExecutorService feeder;

    @BeforeEach
    void fleet() {
        HubClient hub = new HubClient(port);
        if (hub.get("/api/v1/auth/status", null).json().path("setupRequired").asBoolean()) {
            HubClient.Response r = hub.post("/api/v1/auth/setup",
                    "{\"name\":\"Ada\",\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}", null);
            assertThat(r.status()).isEqualTo(201);
        }
        admin = hub.post("/api/v1/auth/login", "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}", null)
                .json().path("accessToken").asString();
        // This hub's own host plus seven agents: eight servers, so a wide screen starts with the table.
        busy = agent(hub, "busy-box");
        idle = agent(hub, "idle-box");
        for (int i = 1; i <= 5; i++) spares.add(agent(hub, "spare-" + i));
        HubClient.Response g = hub.post("/api/v1/server-groups", "{\"name\":\"Web\"}", admin);
        assertThat(g.status()).as(g.body()).isEqualTo(201);
        groupId = g.json().path("id").asString();
        put(hub, busy, "{\"groupId\":\"" + groupId + "\",\"tags\":[\"prod\"]}");
        put(hub, idle, "{\"groupId\":\"" + groupId + "\",\"tags\":[\"dev\"]}");
        // Both report through the ingest path every agent's snapshots take, for as long as the test runs.
        feeder = Executors.newSingleThreadScheduledExecutor();
        feeder.scheduleAtFixedRate(() -> {
            long now = System.currentTimeMillis();
            ingest.accept(snapshot(busy, now, 100));
            ingest.accept(snapshot(idle, now, 5));
        }, 0, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() {
        feeder.shutdownNow();
        HubClient hub = new HubClient(port);
        List<String> all = new ArrayList<>(spares);
        all.add(busy);
        all.add(idle);
        for (String id : all) hub.delete("/api/v1/servers/" + id, admin);
        hub.delete("/api/v1/server-groups/" + groupId, admin);
        spares.clear();
    }

    @ParameterizedTest
    @CsvSource({"en-US, 1280, 800", "ko-KR, 1280, 800", "en-US, 360, 740", "ko-KR, 360, 740"})
    void thresholdsTableSortGroupsAndFilters(String locale, int width, int height) {
        boolean phone = width < 600;
        Browser.NewContextOptions options = new Browser.NewContextOptions().setLocale(locale).setViewportSize(width, height);
        if (phone) options.setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true);
        String tag = locale.substring(0, 2) + "-" + width;
        try (BrowserContext context = chromium.browser.newContext(options)) {
            Page page = context.newPage();
            page.navigate(base() + "/");
            page.locator("#login-email").fill(EMAIL);
            page.locator("#login-password").fill(PASSWORD);
            page.locator("#login-password").press("Enter");
            Locator webGroup = page.locator("[data-testid=server-group][data-group-id='" + groupId + "']");

            if (phone) {
                // Cards by default on a phone, compact: six of them take less than one screen's height.
                Locator cards = page.locator("[data-testid=server-card]");
                assertThat(cards.nth(5)).isVisible();
                double top = cards.nth(0).boundingBox().y;
                double sixthBottom = cards.nth(5).boundingBox().y + cards.nth(5).boundingBox().height;
                assertThat(sixthBottom - top).as("six compact cards " + tag + ", heights "
                        + cards.evaluateAll("cs => cs.map(c => Math.round(c.getBoundingClientRect().height)).join(' ')"))
                        .isLessThanOrEqualTo(height);
                Locator busyCpu = page.locator("[data-testid=server-card][data-server-id='" + busy + "'] [data-testid=cpu-value]");
                Locator idleCpu = page.locator("[data-testid=server-card][data-server-id='" + idle + "'] [data-testid=cpu-value]");
                assertThat(busyCpu).hasAttribute("data-level", "critical");
                assertThat(idleCpu).hasAttribute("data-level", "ok");
                assertThat(colour(busyCpu)).as("100 % and 5 % look different").isNotEqualTo(colour(idleCpu));
                PhoneWidthBrowserTest.fits(page, "overview cards " + tag);
                page.locator("md-filter-chip[data-view=table]").click();
            }

            // The table (a wide screen's default from eight servers): threshold colour on the loaded server.
            Locator table = webGroup.locator("[data-testid=server-table]");
            assertThat(table).isVisible();
            Locator busyCell = table.locator("[data-testid=server-row][data-server-id='" + busy + "'] [data-testid=row-cpu]");
            Locator idleCell = table.locator("[data-testid=server-row][data-server-id='" + idle + "'] [data-testid=row-cpu]");
            assertThat(busyCell).hasAttribute("data-level", "critical");
            assertThat(idleCell).hasAttribute("data-level", "ok");
            assertThat(colour(busyCell)).as("100 % and 5 % look different").isNotEqualTo(colour(idleCell));
            fitsWidth(page, width, "table " + tag);

            // Sort by CPU: busiest first, then again for the quietest first; the header says which.
            Locator rows = table.locator("[data-testid=server-row]");
            Locator cpuHeader = table.locator("th:has(button[data-sort=cpu])");
            table.locator("button[data-sort=cpu]").click();
            assertThat(cpuHeader).hasAttribute("aria-sort", "descending");
            assertThat(rows.first()).hasAttribute("data-server-id", busy);
            table.locator("button[data-sort=cpu]").click();
            assertThat(cpuHeader).hasAttribute("aria-sort", "ascending");
            assertThat(rows.first()).hasAttribute("data-server-id", idle);
            table.locator("button[data-sort=name]").click();
            assertThat(rows.first()).hasAttribute("data-server-id", busy);
            table.locator("button[data-sort=name]").click();
            assertThat(rows.first()).hasAttribute("data-server-id", idle);

            // Folding the group hides its servers and is remembered across a reload.
            Locator toggle = webGroup.locator("[data-testid=group-toggle]");
            toggle.click();
            assertThat(toggle).hasAttribute("aria-expanded", "false");
            assertThat(table).isHidden();
            page.reload();
            assertThat(toggle).hasAttribute("aria-expanded", "false");
            assertThat(webGroup.locator("[data-testid=server-table]")).isHidden();
            fitsWidth(page, width, "folded " + tag);
            toggle.click();
            assertThat(webGroup.locator("[data-testid=server-table]")).isVisible();

            // A tag keeps only the servers carrying it; the Web group then holds just the busy one.
            page.locator("md-filter-chip[data-tag-filter=prod]").click();
            assertThat(webGroup.locator("[data-testid=server-row]")).hasCount(1);
            assertThat(webGroup.locator("[data-testid=server-row]").first()).hasAttribute("data-server-id", busy);
            assertThat(page.locator("[data-testid=server-row][data-server-id='" + spares.get(0) + "']")).hasCount(0);
            fitsWidth(page, width, "tag filter " + tag);
            page.locator("md-filter-chip[data-tag-filter=prod]").click();
            assertThat(page.locator("[data-testid=server-row][data-server-id='" + spares.get(0) + "']")).hasCount(1);

            // A group filter keeps only its servers.
            page.locator("md-filter-chip[data-group-filter='" + groupId + "']").click();
            assertThat(page.locator("[data-testid=server-row]")).hasCount(2);
            page.locator("md-filter-chip[data-group-filter='" + groupId + "']").click();
            assertThat(page.locator("[data-testid=server-row][data-server-id='" + spares.get(0) + "']")).hasCount(1);
            page.evaluate("() => localStorage.removeItem('flick.overview.view')");
        }
    }

    private static String colour(Locator l) {
        return (String) l.evaluate("e => getComputedStyle(e).color");
    }

    /** No sideways scrolling at this width (a wide table scrolls inside its own box). */
    private static void fitsWidth(Page page, int width, String what) {
        if (width < 600) {
            PhoneWidthBrowserTest.fits(page, "overview " + what);
            return;
        }
        Chromium.screenshot(page, "overview-" + what.replaceAll("[^a-z0-9]+", "-"));
        int scroll = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
        assertThat(scroll).as(what + " scroll width").isLessThanOrEqualTo(width);
    }

    private String agent(HubClient hub, String name) {
        HubClient.Response r = hub.post("/api/v1/servers", "{\"name\":\"" + name + "\",\"mode\":\"agent\"}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    private void put(HubClient hub, String id, String body) {
        HubClient.Response r = hub.put("/api/v1/servers/" + id + "/grouping", body, admin);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    static Snapshot snapshot(String server, long ts, double cpu) {
        return new Snapshot(server, ts,
                new Snapshot.Cpu(cpu, cpu, 0, 0, 0, new double[] {cpu}, 0.5, 0.4, 0.3),
                new Snapshot.Memory(1000, 400, 600, 100, 0, 0),
                List.of(new Snapshot.Disk("/", "/dev/vda", "ext4", 100, 10)),
                new Snapshot.DiskIo(0, 0, List.of()),
                new Snapshot.Network(0, 0, List.of()),
                new Snapshot.Processes(1, List.of(new Snapshot.Processes.Process(1, "init", "root", 0.1, 1 << 10, "/sbin/init"))));
    }
}
