package dev.flick.hub.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real agent: java -jar agent/target/flick-agent.jar as its own process, its output kept in a file. */
public final class AgentProcess implements AutoCloseable {

    public static final Path JAR = Path.of("..", "agent", "target", "flick-agent.jar").toAbsolutePath().normalize();

    private final Process process;
    private final Path log;

    public AgentProcess(String hub, String token, String interval, String... extra) throws IOException {
        this(hub, token, interval, Map.of(), extra);
    }

    /** With extra environment variables, e.g. libfaketime's LD_PRELOAD and FAKETIME (faults.Faketime). */
    public AgentProcess(String hub, String token, String interval, Map<String, String> environment, String... extra)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build it with ./mvnw -pl agent -am package -DskipTests "
                    + "(./mvnw verify builds it before the hub's tests)");
        }
        log = Files.createTempFile("flick-agent", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx32m", "-XX:TieredStopAtLevel=1",
                "-jar", JAR.toString(), "--interval", interval));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FLICK_HUB", hub);
        builder.environment().put("FLICK_TOKEN", token); // the environment, not argv: a token never shows in ps
        // Each agent its own outbox (as root the default is the shared /var/lib/flick-agent), unless the test names one.
        builder.environment().put("FLICK_OUTBOX_DIR", Files.createTempDirectory("flick-agent-outbox").toString());
        // These flags are the test's own, and kill9() must hit the agent itself, not a launcher (AgentJvm).
        builder.environment().put("FLICK_AGENT_NO_RELAUNCH", "1");
        builder.environment().putAll(environment);
        process = builder.start();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL (Process.destroyForcibly on Linux): no shutdown hook runs. Returns the exit status, 137. */
    public int kill9() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
