package dev.flick.hub.collect;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's OpenSSH server on a loopback port with a temporary host key and authorized key, for the tests that log in
 * for real. Needs root (sshd changes user for each login); in CI a missing sshd or root fails the run, elsewhere the
 * test is skipped with a reason.
 */
public final class TestSshd implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    public final Path dir;
    public final int port;
    public final String clientKey;
    private Process process;

    public TestSshd() throws Exception {
        this(java.util.List.of());
    }

    /** With more sshd_config lines at the end (more Ports, Match blocks); "{port}" stands for {@link #port}. */
    public TestSshd(java.util.List<String> extraConfig) throws Exception {
        requireSshdAndRoot();
        dir = Files.createTempDirectory("flick-sshd");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "flick-test-client", "-f", dir.resolve("client").toString());
        Files.copy(dir.resolve("client.pub"), dir.resolve("authorized_keys"));
        clientKey = Files.readString(dir.resolve("client"));
        newHostKey();
        Files.createDirectories(Path.of("/run/sshd"));
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"), "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PermitRootLogin yes", "StrictModes no", "UsePAM no",
                "PasswordAuthentication yes", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
                "MaxStartups 100", "MaxSessions 50", "LogLevel INFO", "") + String.join("\n", extraConfig).replace("{port}", Integer.toString(port)) + "\n");
        start();
    }

    public static void requireSshdAndRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (Files.isExecutable(SSHD) && root) return;
        String what = !Files.isExecutable(SSHD) ? "OpenSSH server at " + SSHD + " (apt-get install openssh-server)" : "root (sshd logs users in)";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci)) throw new IllegalStateException("CI requires " + what);
        Assumptions.abort("Not available here: " + what);
    }

    /** Replaces the host key, as a reinstalled server would; takes effect on the next start. */
    public void newHostKey() throws Exception {
        Files.deleteIfExists(dir.resolve("host_key"));
        Files.deleteIfExists(dir.resolve("host_key.pub"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
    }

    /** The host key's fingerprint as OpenSSH prints it ({@code ssh-keygen -lf}: "SHA256:…"), computed by ssh-keygen itself. */
    public String hostKeyFingerprint() throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", dir.resolve("host_key.pub").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) throw new IllegalStateException("ssh-keygen -lf failed: " + out);
        return out.split("\\s+")[1];
    }

    /** The create-request field that trusts this sshd's key up front: {@code "hostKeyFingerprint":"SHA256:…"}. */
    public String hostKeyField() throws Exception {
        return "\"hostKeyFingerprint\":\"" + hostKeyFingerprint() + "\"";
    }

    public void start() throws Exception {
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) throw new IllegalStateException("sshd exited: " + log());
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("sshd did not listen on " + port + ": " + log());
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            // The listener and every session it forked, as a machine going down for reinstall would drop them.
            java.util.List<ProcessHandle> sessions = process.descendants().toList();
            process.destroy();
            sessions.forEach(ProcessHandle::destroy);
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Creates a local user with this password for password logins; removed by {@link #removeUser}. */
    public static void addUser(String name, String password) throws Exception {
        run("sh", "-c", "id -u " + name + " >/dev/null 2>&1 || useradd -M -d /tmp -s /bin/sh " + name);
        Process p = new ProcessBuilder("chpasswd").redirectErrorStream(true).start();
        p.getOutputStream().write((name + ":" + password + "\n").getBytes());
        p.getOutputStream().close();
        if (p.waitFor() != 0) throw new IllegalStateException("chpasswd failed: " + new String(p.getInputStream().readAllBytes()));
    }

    public static void removeUser(String name) throws Exception {
        run("sh", "-c", "userdel " + name + " 2>/dev/null || true");
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
