package dev.flick.hub.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import dev.flick.collector.Snapshot;
import dev.flick.hub.servers.SshKeys;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An SSH server's containers through OpenSSH's stream-local channel to the engine socket: nothing runs on the target. */
class SshContainersTest {

    static TestPodman podman;
    static TestSshd sshd;
    static SshClient client;

    @BeforeAll
    static void start() throws Exception {
        podman = new TestPodman();
        sshd = new TestSshd();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) client.stop();
        if (sshd != null) sshd.close();
        if (podman != null) podman.close();
    }

    private static ClientSession session() throws Exception {
        ClientSession s = client.connect("root", "127.0.0.1", sshd.port).verify(Duration.ofSeconds(20)).getSession();
        for (KeyPair pair : SshKeys.read(sshd.clientKey, null)) s.addPublicKeyIdentity(pair);
        s.auth().verify(Duration.ofSeconds(20));
        return s;
    }

    @Test
    void containersAreReadThroughTheSessionAndKeepComing() throws Exception {
        podman.run("ssh-burn", TestPodman.IMAGE, "sh", "-c", "yes > /dev/null");
        podman.run("ssh-idle", TestPodman.IMAGE, "sleep", "300");
        try (ClientSession s = session()) {
            SshContainers containers = new SshContainers("test", s,
                    List.of("/nonexistent/docker.sock", podman.socket.toString()), Duration.ofSeconds(1));
            containers.start();
            try {
                Snapshot.Container[] burn = new Snapshot.Container[1];
                AgentOutageTest.await(30_000, () -> {
                    List<Snapshot.Container> list = containers.latest();
                    if (list == null) return false;
                    burn[0] = list.stream().filter(c -> c.name().equals("ssh-burn")).findFirst().orElse(null);
                    return burn[0] != null && burn[0].cpu() > 5;
                }, "a burning container over SSH", null);
                assertThat(burn[0].state()).isEqualTo(Snapshot.Container.State.RUNNING);
                assertThat(burn[0].memory()).isPositive();
                // Samples keep coming for as long as the session lasts: no channel is left behind to exhaust it.
                long firstSeen = System.nanoTime();
                AgentOutageTest.await(30_000, () -> System.nanoTime() - firstSeen > 8_000_000_000L && containers.latest() != null,
                        "samples 8 s later", null);
                assertThat(s.isOpen()).isTrue();
            } finally {
                containers.stop();
            }
        }
    }

    @Test
    void noSocketThereMeansNoContainersSection() throws Exception {
        try (ClientSession s = session()) {
            SshContainers containers = new SshContainers("test", s, List.of("/nonexistent/docker.sock"), Duration.ofSeconds(1));
            containers.start();
            try {
                AgentOutageTest.await(3_000, () -> true, "", null);
                assertThat(containers.latest()).isNull();
            } finally {
                containers.stop();
            }
        }
    }
}
