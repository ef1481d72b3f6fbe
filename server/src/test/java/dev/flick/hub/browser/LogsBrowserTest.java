package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;

import dev.flick.hub.logs.EventLog;
import dev.flick.hub.logs.LogEntry;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The logs screen in a real browser: the hub's own events, a text search, a live line from the local server, the jump
 * from a chart moment to the logs around it; then retention (a refused value, a saved one) and storage in settings.
 */
class LogsBrowserTest extends BrowserHubTest {

    static final String EMAIL = "ada@example.com";
    static final String PASSWORD = "correct horse battery";

    @Autowired
    EventLog events;

    @Test
    void hubEventsSearchLiveTailChartMomentAndRetentionSettings() {
        try (BrowserContext desktop = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
             BrowserContext phone = chromium.browser.newContext(new Browser.NewContextOptions()
                     .setViewportSize(390, 844).setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true))) {
            Page page = desktop.newPage();
            page.navigate(base() + "/");
            createAdmin(page, EMAIL, PASSWORD);
            Locator card = page.locator("[data-testid=server-card]").first();
            assertThat(card).isVisible();
            String serverId = card.getAttribute("data-server-id");

            // A second device signs in: the hub logs that too.
            Page mobile = phone.newPage();
            mobile.navigate(base() + "/");
            mobile.locator("#login-email").fill(EMAIL);
            mobile.locator("#login-password").fill(PASSWORD);
            mobile.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
            assertThat(mobile.locator("[data-testid=server-card]").first()).isVisible();
            events.flush();

            page.locator("[data-testid=nav-logs]").click();
            Locator lines = page.locator("[data-testid=log-line]");
            assertThat(lines.filter(hasText("Admin account created at first run"))).hasCount(1);
            assertThat(lines.filter(hasText("Signed in from"))).hasCount(1);
            assertThat(lines.filter(hasText("Admin account created")).first()).containsText("by " + EMAIL);

            // Text search: only the matching line stays, and the address keeps the query.
            page.locator("[data-testid=logs-q]").fill("account created");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search").setExact(true)).click();
            assertThat(page).hasURL(Pattern.compile("#/logs\\?q=account\\+created$"));
            assertThat(lines).hasCount(1);
            assertThat(lines.first()).containsText("Admin account created at first run");
            page.locator("[data-testid=logs-q]").fill("");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search").setExact(true)).click();
            assertThat(lines.filter(hasText("Signed in from"))).hasCount(1);

            // Live tail on the local server: a line stored now appears at the top without a reload.
            page.locator("[data-testid=logs-server]").selectOption(serverId);
            assertThat(page).hasURL(Pattern.compile("serverId=" + serverId + "$")); // a UUID: no regex metacharacters
            page.locator("[data-testid=live-tail]").check();
            assertThat(page.locator("[data-testid=live-note]")).isVisible();
            Locator live = lines.filter(hasText("invalid user mallory"));
            // The subscription travels over the socket while the test goes on: store until one is shown.
            for (int i = 0; i < 40 && live.count() == 0; i++) {
                events.append(new LogEntry(System.currentTimeMillis(), serverId, "journal", "error", "sshd.service",
                        "Failed password for invalid user mallory from 203.0.113.9 port " + (40_000 + i), null, null));
                page.waitForTimeout(250);
            }
            assertThat(live.first()).isVisible();
            assertThat(lines.first()).containsText("invalid user mallory");
            assertThat(lines.first()).hasAttribute("data-level", "error");
            assertThat(lines.first()).hasAttribute("data-server", serverId);
            // A line from elsewhere (the hub, no server) is not this filter's: it stays out.
            events.hub("notice", "Unrelated hub event while tailing", EMAIL, null, null);
            showEveryLevel(serverId);
            assertThat(lines.filter(hasText("Kernel panic averted"))).hasCount(1);
            assertThat(lines.filter(hasText("Unrelated hub event while tailing"))).hasCount(0);
            Chromium.screenshot(page, "logs-desktop");

            // From a chart moment to the logs around it.
            page.locator("[data-testid=nav-overview]").click();
            card.click();
            Locator chart = page.locator("[data-testid=chart-cpu]");
            page.waitForFunction("el => Number(el.dataset.points) >= 4", chart.elementHandle(),
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            chart.click();
            Locator moment = page.locator("[data-testid=processes-at]");
            assertThat(moment).isVisible();
            long at = Long.parseLong(moment.getAttribute("data-ts"));
            page.locator("[data-testid=logs-around]").click();
            assertThat(page).hasURL(Pattern.compile("#/logs\\?serverId=" + serverId
                    + "&from=" + (at - 300_000) + "&to=" + (at + 300_000) + "$"));
            assertThat(page.locator("[data-testid=logs-range]")).hasValue("custom");
            assertThat(lines.filter(hasText("invalid user mallory")).first()).isVisible();
            @SuppressWarnings("unchecked")
            List<String> times = (List<String>) lines.evaluateAll("els => els.map(e => e.dataset.ts)");
            assertThat(times).isNotEmpty().allSatisfy(ts -> assertThat(Long.parseLong(ts)).isBetween(at - 300_000, at + 299_999));
            assertThat(lines.filter(hasText("Admin account created"))).hasCount(0);

            // Settings: one value out of range is refused next to its input; a good one is saved.
            page.locator("[data-testid=nav-settings]").click();
            Locator retention = page.locator("[data-testid=retention]");
            assertThat(page.locator("#retention-raw")).hasValue("14");
            assertThat(page.locator("#retention-raw-unit")).hasValue("days");
            page.locator("#retention-raw").fill("60");
            page.locator("#retention-logs").fill("14");
            page.locator("[data-testid=retention-save]").click();
            Locator rawError = page.locator("[data-testid=retention-raw-error]");
            assertThat(rawError).containsText("must be between 1 hour and 31 days");
            assertThat(page.locator("#retention-raw")).hasAttribute("aria-invalid", "true");
            assertThat(page.locator("[data-testid=retention-logs-error]")).hasCount(0);
            Chromium.screenshot(page, "settings-retention-error-desktop");

            page.locator("#retention-raw").fill("12");
            page.locator("#retention-raw-unit").selectOption("hours");
            page.locator("[data-testid=retention-save]").click();
            assertThat(page.locator("[data-testid=retention-saved]")).isVisible();
            assertThat(rawError).hasCount(0);
            Locator storage = page.locator("[data-testid=storage-table]");
            assertThat(storage.locator("tr[data-table=logs]")).isVisible();
            assertThat(storage.locator("tr[data-table=metrics_snapshots] td").first()).not().hasText("0");
            assertThat(page.locator("[data-testid=storage-file]")).containsText("B");
            page.reload();
            assertThat(page.locator("#retention-raw")).hasValue("12");
            assertThat(page.locator("#retention-raw-unit")).hasValue("hours");
            assertThat(page.locator("#retention-logs")).hasValue("14");
            assertThat(retention).isVisible();
            Chromium.screenshot(page, "settings-data-desktop");

            // Phone: lines become cards; the same settings fit the narrow screen.
            mobile.navigate(base() + "/#/logs?serverId=" + serverId + "&range=1h");
            Locator phoneLines = mobile.locator("[data-testid=log-line]");
            assertThat(phoneLines.first()).isVisible();
            assertThat(phoneLines.first()).hasCSS("border-top-left-radius", "12px");
            Chromium.screenshot(mobile, "logs-phone");
            // The filters beyond the search fold away on a phone; a level chip narrows the list.
            assertThat(mobile.locator("[data-testid=logs-server]")).not().isVisible();
            mobile.locator("[data-testid=logs-filters-toggle]").click();
            assertThat(mobile.locator("[data-testid=logs-filters-toggle]")).hasText("Filters (2 on)");
            mobile.locator("input[data-level=critical]").check();
            assertThat(mobile).hasURL(Pattern.compile("level=critical"));
            assertThat(phoneLines).hasCount(1);
            assertThat(phoneLines.first()).hasAttribute("data-level", "critical");
            Chromium.screenshot(mobile, "logs-phone-filters");
            mobile.navigate(base() + "/#/settings");
            assertThat(mobile.locator("[data-testid=storage-table]")).isVisible();
            assertThat(mobile.locator("#retention-raw")).hasValue("12");
            Chromium.screenshot(mobile, "settings-data-phone");
        }

        // The level colours in the dark scheme.
        try (BrowserContext dark = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 900).setColorScheme(ColorScheme.DARK))) {
            Page page = dark.newPage();
            page.navigate(base() + "/");
            page.locator("#login-email").fill(EMAIL);
            page.locator("#login-password").fill(PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in").setExact(true)).click();
            assertThat(page.locator("[data-testid=server-card]").first()).isVisible();
            page.locator("[data-testid=nav-logs]").click();
            assertThat(page.locator("[data-testid=log-line][data-level=critical]").first()).isVisible();
            Chromium.screenshot(page, "logs-desktop-dark");
        }
    }

    /** One line of each level, so the screenshots show every colour. */
    private void showEveryLevel(String serverId) {
        long now = System.currentTimeMillis();
        List<String[]> lines = List.of(
                new String[] {"critical", "kernel", "Kernel panic averted: watchdog reset the NIC"},
                new String[] {"warning", "smartd", "Device /dev/sda: 8 currently unreadable sectors"},
                new String[] {"notice", "systemd", "Started Daily apt upgrade and clean activities."},
                new String[] {"info", "cron", "(root) CMD (run-parts /etc/cron.hourly)"},
                new String[] {"debug", "NetworkManager", "dhcp4 (eth0): state changed bound -> bound"});
        for (int i = 0; i < lines.size(); i++) {
            String[] l = lines.get(i);
            events.append(new LogEntry(now + i, serverId, "syslog", l[0], l[1], l[2], null, null));
        }
    }

    private static Locator.FilterOptions hasText(String text) {
        return new Locator.FilterOptions().setHasText(text);
    }
}
