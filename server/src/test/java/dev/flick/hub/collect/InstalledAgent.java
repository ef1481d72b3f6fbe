package dev.flick.hub.collect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one-line install run for real: the hub's script for an install code, piped into sh with FLICK_INSTALL_ROOT
 * (a temp dir, so no user or systemctl is touched), then the installed agent started the way its unit would
 * (token from the file, never on the command line).
 */
public final class InstalledAgent implements AutoCloseable {

    public final Path root;
    public final String output;
    private final Process process;

    private InstalledAgent(Path root, String output, Process process) {
        this.root = root;
        this.output = output;
        this.process = process;
    }

    /** Runs the install command's script (from the command's URL) and starts the agent it installed. */
    public static InstalledAgent install(String command) throws IOException, InterruptedException {
        String url = command.substring(command.indexOf('\'') + 1, command.lastIndexOf('\''));
        String script = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Path root = Files.createTempDirectory("flick-install-root");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder sh = new ProcessBuilder("sh", "-s").redirectErrorStream(true);
        sh.environment().put("FLICK_INSTALL_ROOT", root.toString());
        sh.environment().put("PATH", Path.of(java).getParent() + ":" + System.getenv("PATH"));
        Process run = sh.start();
        run.getOutputStream().write(script.getBytes());
        run.getOutputStream().close();
        String out = new String(run.getInputStream().readAllBytes());
        if (!run.waitFor(60, TimeUnit.SECONDS) || run.exitValue() != 0) throw new IllegalStateException("install failed: " + out);

        String hub = Files.readString(root.resolve("etc/flick/agent.env")).strip().substring("FLICK_HUB=".length());
        ProcessBuilder agent = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-Xmx32m", "-XX:TieredStopAtLevel=1", "-jar",
                root.resolve("opt/flick/flick-agent.jar").toString(), "--interval", "1s"))
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("flick-installed-agent", ".log").toFile());
        agent.environment().remove("FLICK_TOKEN");
        agent.environment().put("FLICK_HUB", hub);
        agent.environment().put("FLICK_TOKEN_FILE", root.resolve("etc/flick/agent.token").toString());
        agent.environment().put("FLICK_OUTBOX_DIR", Files.createTempDirectory("flick-installed-outbox").toString());
        return new InstalledAgent(root, out, agent.start());
    }

    public Process process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
