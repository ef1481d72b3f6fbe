package dev.flick.hub.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import dev.flick.hub.HubClient;
import dev.flick.hub.collect.InstalledAgent;
import dev.flick.hub.collect.TestSshd;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Adding an agent server (its one-line install run for real) and an SSH server through the UI, in a real browser, and seeing both connect. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RemoteServersBrowserTest {

    static Chromium chromium;
    static TestSshd sshd;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("flick-browser-remote");
        registry.add("flick.data-dir", dir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.interval", () -> "1s");
        registry.add("flick.local-collector", () -> "false");
        // sshd listens on 127.0.0.1, which SSH servers may not point at otherwise.
        registry.add("flick.ssh.allow-loopback", () -> "true");
        registry.add("flick.agent.jar", () -> dev.flick.hub.collect.AgentProcess.JAR.toString());
    }

    @BeforeAll
    static void start() throws Exception {
        chromium = new Chromium();
        sshd = new TestSshd();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sshd != null) sshd.close();
        if (chromium != null) chromium.close();
    }

    @Test
    void addAnAgentServerAndAnSshServerAndSeeBothGoOnline() throws Exception {
        new HubClient(port).admin();
        LocatorAssertions.IsVisibleOptions long30 = new LocatorAssertions.IsVisibleOptions().setTimeout(30_000);
        try (BrowserContext context = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = context.newPage();
            page.navigate("http://127.0.0.1:" + port + "/");
            page.locator("#login-email").fill("admin@example.com");
            page.locator("#login-password").fill("correct horse battery");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

            // Agent: one line to run, with an install code and never the token; the dialog then waits for the agent
            // and says "connected" as soon as its status arrives over the live socket.
            page.locator("[data-testid=add-server]").click();
            page.locator("[data-testid=mode-agent]").check();
            page.locator("#server-name").fill("agent box");
            page.locator("[data-testid=dialog-submit]").click();
            Locator command = page.locator("[data-testid=install-command]");
            assertThat(command).containsText("/install.sh?code=");
            String text = command.textContent();
            assertThat(text).startsWith("curl -fsSL 'http://127.0.0.1:" + port + "/install.sh?code=").endsWith("' | sudo sh")
                    .doesNotContain("flk_").doesNotContain("--token");
            assertThat(page.locator("[data-testid=waiting]")).containsText("Waiting for the agent");
            Chromium.screenshot(page, "add-agent-install-command");

            try (InstalledAgent agent = InstalledAgent.install(text)) {
                assertThat(page.locator("[data-testid=connected]")).isVisible(long30);
                Chromium.screenshot(page, "add-agent-connected");
                page.locator("[data-testid=dialog-done]").click();
                Locator agentCard = page.locator("[data-testid=server-card]", new Page.LocatorOptions().setHasText("agent box"));
                assertThat(agentCard.locator("[data-status=online]")).isVisible(long30);

                // SSH with a private key pasted into the dialog.
                page.locator("[data-testid=add-server]").click();
                page.locator("[data-testid=mode-ssh]").check();
                page.locator("#server-name").fill("ssh box");
                page.locator("#server-host").fill("127.0.0.1");
                page.locator("#server-port").fill(Integer.toString(sshd.port));
                page.locator("#server-username").fill("root");
                page.locator("[data-testid=auth-key]").check();
                page.locator("#server-key").fill(sshd.clientKey);
                Chromium.screenshot(page, "add-ssh-dialog");
                page.locator("[data-testid=dialog-submit]").click();
                // The first connect shows the host key the server presented (SHA256:…) to compare; collection waits for Accept.
                assertThat(page.locator("[data-testid=host-key-offered]")).hasText(sshd.hostKeyFingerprint(),
                        new LocatorAssertions.HasTextOptions().setTimeout(30_000));
                assertThat(page.locator("[data-testid=reject-host-key]")).isVisible(); // not theirs: refused and removed at once
                Chromium.screenshot(page, "add-ssh-host-key");
                page.locator("[data-testid=accept-host-key]").click();
                assertThat(page.locator("[data-testid=connected]")).isVisible(long30);
                assertThat(page.locator("[data-testid=host-key] code").first()).hasText(sshd.hostKeyFingerprint());
                page.locator("[data-testid=dialog-done]").click();
                Locator sshCard = page.locator("[data-testid=server-card]", new Page.LocatorOptions().setHasText("ssh box"));
                assertThat(sshCard.locator("[data-status=online]")).isVisible(long30);
                assertThat(sshCard.locator("[data-testid=cpu-value]")).containsText("%");
                Chromium.screenshot(page, "dashboard-remote-servers");

                // The server page offers edit, a new install command, a new token and delete for the agent server.
                agentCard.click();
                assertThat(page.locator("[data-testid=rotate-token]")).isVisible();
                page.locator("[data-testid=install-agent]").click();
                assertThat(page.locator("[data-testid=install-command]")).containsText("/install.sh?code=");
                assertThat(page.locator("[data-testid=delete-server]")).isVisible();
                assertThat(page.content()).doesNotContain("BEGIN OPENSSH PRIVATE KEY");
            }
        }
    }
}
