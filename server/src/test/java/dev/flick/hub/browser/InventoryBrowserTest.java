package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;

/**
 * The hub's own host in a real browser: this build machine has virtual disks, no hwmon, no GPU and no systemd as
 * init, so the server page shows the disk-health panel saying why S.M.A.R.T. is not available, no empty sensor, GPU
 * or services panels, and disk I/O columns in the process table (the hub runs as root and reads /proc/[pid]/io).
 */
class InventoryBrowserTest extends BrowserHubTest {

    @Test
    void theServerPageShowsOnlyTheSectionsThisHostSendsAndProcessIo() {
        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = context.newPage();
            page.navigate(base() + "/");
            createAdmin(page, "ada@example.com", "correct horse battery");
            page.locator("[data-testid=server-card]").first().click();

            if (Files.isExecutable(Path.of("/usr/sbin/smartctl"))) {
                assertThat(page.locator("[data-testid=smart-unavailable]")).containsText("no disks that report S.M.A.R.T.");
            } else {
                assertThat(page.locator("[data-testid=smart-unavailable]")).containsText("smartctl");
            }
            assertThat(page.locator("[data-testid=top-processes] [data-testid=proc-read]").first()).isVisible();
            assertThat(page.locator("[data-testid=top-processes] thead")).containsText("Disk read");
            if (!Files.isDirectory(Path.of("/sys/class/hwmon"))) assertThat(page.locator("[data-testid=sensors-panel]")).hasCount(0);
            if (!Files.isDirectory(Path.of("/run/systemd/system"))) assertThat(page.locator("[data-testid=services-panel]")).hasCount(0);
            assertThat(page.locator("[data-testid=gpus-panel]")).hasCount(0);
            Chromium.screenshot(page, "server-inventory-desktop");
        }
    }
}
