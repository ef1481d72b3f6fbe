package dev.flick.hub.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.flick.hub.Requirements;

/** Debian's Chromium driven by Playwright; never a downloaded browser. */
final class Chromium implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final Playwright playwright;
    final Browser browser;

    static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    Chromium() {
        Requirements.chromium();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Requirements.CHROMIUM)
                .setHeadless(true)
                .setArgs(ARGS));
    }

    /**
     * A browser with a real profile on disk. Chromium never offers to install an app from an incognito-like
     * context, which is what {@link Browser#newContext} makes, so installability is checked in one of these.
     */
    BrowserContext persistentContext(Path profile, int width, int height) {
        return playwright.chromium().launchPersistentContext(profile, new BrowserType.LaunchPersistentContextOptions()
                .setExecutablePath(Requirements.CHROMIUM)
                .setHeadless(true)
                .setArgs(ARGS)
                .setLocale("en-US")
                .setViewportSize(width, height)
                .setDeviceScaleFactor(3)
                .setIsMobile(true)
                .setHasTouch(true));
    }

    static void screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
