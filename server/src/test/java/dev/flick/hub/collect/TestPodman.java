package dev.flick.hub.collect;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real Podman engine for the container tests: Debian's podman with runc (crun fails on hybrid cgroups), its
 * Docker-compatible API served on a socket of this test's own ({@code podman system service}), an image made offline
 * from busybox-static ({@code local/bb}), and containers that carry this instance's label so close() removes exactly
 * them. Podman's health checks need systemd timers, which this machine has not: {@link #healthcheck} runs one, as
 * the timer would. In CI (CI=true) missing podman, runc or busybox fails the run; elsewhere the test is skipped.
 */
public final class TestPodman implements AutoCloseable {

    static final Path PODMAN = Path.of("/usr/bin/podman");
    static final Path RUNC = Path.of("/usr/sbin/runc");
    static final Path BUSYBOX = Path.of("/bin/busybox");
    public static final String IMAGE = "local/bb";

    public final Path dir;
    public final Path socket;
    private final String label = "flick-test=" + UUID.randomUUID();
    private final Process service;

    public TestPodman() throws Exception {
        require();
        dir = Files.createTempDirectory("flick-podman");
        socket = dir.resolve("podman.sock");
        ensureImage();
        service = new ProcessBuilder(PODMAN.toString(), "system", "service", "--time=0", "unix://" + socket)
                .redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!answers()) {
            if (!service.isAlive()) throw new IllegalStateException("podman system service exited: " + log());
            if (System.nanoTime() > deadline) throw new IllegalStateException("podman socket not ready: " + log());
            Thread.sleep(50);
        }
    }

    public static void require() {
        String what = !Files.isExecutable(PODMAN) ? "podman (apt-get install -y podman)"
                : !Files.isExecutable(RUNC) ? "runc (apt-get install -y runc)"
                : !Files.isExecutable(BUSYBOX) ? "busybox-static at /bin/busybox (apt-get install -y busybox-static)"
                : !"root".equals(System.getProperty("user.name")) ? "root (rootful podman)" : null;
        if (what == null) return;
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci)) throw new IllegalStateException("CI requires " + what);
        Assumptions.abort("Not available here: " + what);
    }

    private boolean answers() {
        if (!Files.exists(socket)) return false;
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Imports local/bb once per machine: busybox and a few of its applets, nothing fetched. */
    private static synchronized void ensureImage() throws Exception {
        if (run(List.of(PODMAN.toString(), "image", "exists", IMAGE), false) == 0) return;
        Path rootfs = Files.createTempDirectory("flick-bb-rootfs");
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : List.of("sh", "sleep", "yes", "true", "false", "cat", "dd", "head")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        run(List.of("sh", "-c", "tar -C " + rootfs + " -c . | " + PODMAN + " import - " + IMAGE), true);
    }

    /** podman run -d with runc and this machine's limits; returns the container's id. */
    public String run(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PODMAN.toString(), "run", "-d", "--runtime", RUNC.toString(),
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--label", label, "--name", name));
        command.addAll(List.of(args));
        return output(command).trim();
    }

    public void stop(String name) throws Exception {
        output(List.of(PODMAN.toString(), "stop", "-t", "0", name));
    }

    /** One health check run, as the systemd timer podman would use elsewhere. */
    public void healthcheck(String name) throws Exception {
        run(List.of(PODMAN.toString(), "healthcheck", "run", name), false);
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("service.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws Exception {
        run(List.of("sh", "-c", PODMAN + " rm -f -t 0 $(" + PODMAN + " ps -aq --filter label=" + label + ") 2>/dev/null"), false);
        service.destroy();
        if (!service.waitFor(10, TimeUnit.SECONDS)) service.destroyForcibly().waitFor();
    }

    private static String output(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static int run(List<String> command, boolean check) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " hung");
        }
        if (check && p.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        return p.exitValue();
    }
}
