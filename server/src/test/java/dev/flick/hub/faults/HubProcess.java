package dev.flick.hub.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.flick.hub.FlickApplication;
import dev.flick.hub.HubClient;

/**
 * The hub ({@link FlickApplication}) in a JVM of its own, started from this JVM's class path, so a test can kill it
 * with SIGKILL mid-write and start it again on the same port and data dir. Its output (every start, appended) goes
 * to one file that failures quote.
 */
public final class HubProcess implements AutoCloseable {

    /** Exit status of a JVM ended by SIGKILL (128 + 9), as {@link Process#exitValue()} reports it on Linux. */
    public static final int KILLED = 137;
    /** Exit status of a JVM that ran its shutdown hooks after SIGTERM (128 + 15). */
    public static final int TERMINATED = 143;

    private final int port;
    private final Path dataDir;
    private final String databaseUrl;
    private final Map<String, String> environment;
    private final List<String> extraArgs;
    private final Path log;
    private Process process;
    private int starts;

    private HubProcess(Builder b) throws IOException {
        this.port = b.port == 0 ? freePort() : b.port;
        this.dataDir = b.dataDir != null ? b.dataDir : Files.createTempDirectory("flick-hub-process");
        this.databaseUrl = b.databaseUrl;
        this.environment = Map.copyOf(b.environment);
        this.extraArgs = List.copyOf(b.args);
        this.log = Files.createTempFile("flick-hub", ".log");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int port;
        private Path dataDir;
        private String databaseUrl = "";
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** A jdbc:postgresql:… URL; blank (the default) is SQLite in the data dir. */
        public Builder databaseUrl(String url) {
            this.databaseUrl = url;
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder arg(String arg) {
            args.add(arg);
            return this;
        }

        /** Builds the handle and starts the hub; call {@link #waitUntilAnswering} or {@link #waitUntilHealthy}. */
        public HubProcess start() throws IOException {
            HubProcess hub = new HubProcess(this);
            hub.start();
            return hub;
        }
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public HubClient client() {
        return new HubClient(port);
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** The SQLite database in the data dir, for reading stored rows directly. */
    public String sqliteUrl() {
        return "jdbc:sqlite:" + dataDir.resolve("flick.db");
    }

    /** Starts (again) on the same port, data dir, database and environment. */
    public synchronized void start() throws IOException {
        if (alive()) throw new IllegalStateException("the hub is already running (pid " + process.pid() + ")");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(), FlickApplication.class.getName(),
                "--server.port=" + port, "--flick.data-dir=" + dataDir, "--flick.database-url=" + databaseUrl,
                "--flick.local-collector=false", "--flick.interval=1000ms",
                "--logging.level.root=WARN", "--logging.level.dev.flick=INFO"));
        command.addAll(extraArgs);
        starts++;
        Files.writeString(log, "%n===== hub start %d at %d (port %d, data dir %s)%n".formatted(starts,
                System.currentTimeMillis(), port, dataDir), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /**
     * The test JVM's class path: under Surefire java.class.path holds the test classes, the hub's classes and every
     * dependency (FaultInfrastructureTest checks), so the child runs exactly the code under test.
     */
    static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye; returns the exit status ({@link #KILLED}). */
    public synchronized int kill9() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /** SIGTERM: Spring's graceful shutdown; SIGKILL after 30 s. Returns the exit status. */
    public synchronized int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        return process.waitFor();
    }

    /** Waits until /actuator/health answers at all (any status): the hub is up, healthy or not. */
    public void waitUntilAnswering(Duration timeout) {
        Eventually.until("the hub on port " + port + " answers /actuator/health", timeout,
                () -> requireAlive() && Health.read(port, null).answered(), this::output);
    }

    /** Waits until /actuator/health says UP (HTTP 200). */
    public void waitUntilHealthy(Duration timeout) {
        Eventually.until("the hub on port " + port + " is healthy", timeout,
                () -> requireAlive() && Health.read(port, null).status() == 200, this::output);
    }

    private boolean requireAlive() {
        if (!alive()) throw new Eventually.Gone("the hub exited with " + process.exitValue() + ":\n" + tail());
        return true;
    }

    /** Everything the hub printed over all its starts. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last 60 lines, for failure messages. */
    public String tail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (!alive()) return;
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** /actuator/health as anyone (token null) or an admin sees it. */
    static HttpResponse<String> get(int port, String path, String token, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
