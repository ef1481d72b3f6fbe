package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarInputStream;

import dev.flick.hub.HubClient;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Adding an agent in one step: the one-line command carries a single-use install code, the hub serves the agent's
 * jar and the script, the script (run for real, into a fake root) trades the code for a token in a 0600 file and
 * writes the systemd unit, and the agent it installed connects with the token read from that file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class AgentInstallTest {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) throws Exception {
        registry.add("flick.data-dir", () -> temp("flick-install-hub").toString());
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        registry.add("flick.agent.jar", AgentProcess.JAR::toString);
    }

    static Path temp(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theHubServesTheAgentsRealJar() throws Exception {
        HttpResponse<byte[]> jar = get("/agent/flick-agent.jar");
        assertThat(jar.statusCode()).isEqualTo(200);
        assertThat(jar.headers().firstValue("content-type")).hasValue("application/java-archive");
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar.body()))) {
            assertThat(in.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.flick.agent.AgentMain");
        }
    }

    @Test
    void theOneLineInstallPutsTheTokenInARootOnlyFileAndTheInstalledAgentConnects() throws Exception {
        HubClient client = new HubClient(port);
        String admin = client.admin();
        var created = client.post("/api/v1/servers", "{\"name\":\"installed box\",\"mode\":\"agent\"}", admin).json();
        String id = created.get("id").asString();
        String command = created.get("installCommand").asString();
        assertThat(command).matches("curl -fsSL 'http://127\\.0\\.0\\.1:" + port + "/install\\.sh\\?code=[A-Za-z0-9_-]{24}' \\| sudo sh")
                .doesNotContain(created.get("agentToken").asString());
        assertThat(created.get("installExpiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
        String code = command.substring(command.indexOf("code=") + 5, command.lastIndexOf('\''));

        String script = new String(get("/install.sh?code=" + code).body());
        assertThat(script).startsWith("#!/bin/sh").contains("CODE='" + code + "'").doesNotContain("flk_")
                .contains("LoadCredential=token:/etc/flick/agent.token").contains("Environment=FLICK_TOKEN_FILE=%d/token");
        // The token is written by curl from the hub's answer: no command in the script carries it as an argument.
        assertThat(script).doesNotContain("--token").doesNotContain("FLICK_TOKEN=");
        assertThat(script).contains(Files.readString(Path.of("..", "docs", "flick-agent.service")).strip());

        Path root = temp("flick-install-root");
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder sh = new ProcessBuilder("sh", "-s").redirectErrorStream(true);
        sh.environment().put("FLICK_INSTALL_ROOT", root.toString());
        sh.environment().put("PATH", Path.of(java).getParent() + ":" + System.getenv("PATH"));
        Process run = sh.start();
        run.getOutputStream().write(script.getBytes());
        run.getOutputStream().close(); // as curl … | sh does
        String out = new String(run.getInputStream().readAllBytes());
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(out).isZero();

        Path tokenFile = root.resolve("etc/flick/agent.token");
        assertThat(Files.getPosixFilePermissions(tokenFile)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        String token = Files.readString(tokenFile).strip();
        assertThat(token).startsWith("flk_").isNotEqualTo(created.get("agentToken").asString());
        assertThat(out).doesNotContain(token);
        assertThat(Files.readString(root.resolve("etc/flick/agent.env"))).isEqualTo("FLICK_HUB=http://127.0.0.1:" + port + "\n");
        assertThat(Files.readString(root.resolve("etc/systemd/system/flick-agent.service")))
                .contains("ExecStart=" + java + " -XX:+UseSerialGC").contains("-Dflick.agent.jvm=tuned -jar /opt/flick/flick-agent.jar")
                .contains("Environment=MALLOC_ARENA_MAX=2").contains("LoadCredential=token:/etc/flick/agent.token");
        assertThat(root.resolve("opt/flick/flick-agent.jar")).hasSameBinaryContentAs(AgentProcess.JAR);

        // The code is spent: neither the script nor the trade works a second time.
        assertThat(get("/install.sh?code=" + code).statusCode()).isEqualTo(410);
        assertThat(client.post("/agent/token?code=" + code, "", null).status()).isEqualTo(410);
        assertThat(get("/install.sh").statusCode()).isEqualTo(400);

        List<String> agent = new ArrayList<>(List.of(java, "-Xmx32m", "-jar", root.resolve("opt/flick/flick-agent.jar").toString(),
                "--interval", "500ms"));
        ProcessBuilder pb = new ProcessBuilder(agent).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("flick-installed-agent", ".log").toFile());
        pb.environment().remove("FLICK_TOKEN");
        pb.environment().put("FLICK_HUB", "http://127.0.0.1:" + port);
        pb.environment().put("FLICK_TOKEN_FILE", tokenFile.toString());
        pb.environment().put("FLICK_OUTBOX_DIR", temp("flick-installed-outbox").toString());
        Process p = pb.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    "online".equals(client.get("/api/v1/servers/" + id, admin).json().path("status").asString()));
            assertThat(String.join(" ", p.info().arguments().map(List::of).orElse(List.of()))).doesNotContain(token);
            // A plain java -jar: the agent runs in the tuned JVM it turned into (JDK 22+) or started as its child (21).
            ProcessHandle tuned = p.toHandle().children() // a child only on JDK 21 (journalctl may be one too)
                    .filter(c -> String.join(" ", c.info().arguments().orElse(new String[0])).contains("-Dflick.agent.jvm="))
                    .findFirst().orElse(p.toHandle());
            assertThat(String.join(" ", tuned.info().arguments().map(List::of).orElse(List.of())))
                    .contains("-XX:+UseSerialGC", "-Dflick.agent.jvm=tuned").doesNotContain(token);
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    @Test
    void aFreshCommandCanBeAskedForAndAnUnknownCodeIsRefused() throws Exception {
        HubClient client = new HubClient(port);
        String admin = client.admin();
        String id = client.post("/api/v1/servers", "{\"name\":\"later box\",\"mode\":\"agent\"}", admin).json().get("id").asString();
        var again = client.post("/api/v1/servers/" + id + "/install", "", admin);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("installCommand").asString()).contains("/install.sh?code=");
        assertThat(again.json().has("agentToken")).isFalse();
        assertThat(get("/install.sh?code=AAAAAAAAAAAAAAAAAAAAAAAA").statusCode()).isEqualTo(410);
        assertThat(new String(get("/install.sh?code=AAAAAAAAAAAAAAAAAAAAAAAA").body())).doesNotContain("Exception");
    }
}
