package dev.flick.hub.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.flick.hub.HubClient;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Slowloris from one address: 10,000 loopback connections from 127.0.0.2 (not a trusted proxy here) trickle their
 * headers a byte at a time, while health is asked from 127.0.0.1. The per-address cap closes all but 256 at once,
 * and the header deadline closes those that keep trickling.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SlowConnectionsTest {

    static final int ATTACKERS = 10_000;
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(4);

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        registry.add("flick.data-dir", () -> tempDir());
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        registry.add("flick.edge.trusted-proxies", () -> "127.0.0.1");
        registry.add("flick.edge.header-timeout", () -> HEADER_TIMEOUT.toMillis() + "ms");
    }

    static String tempDir() {
        try {
            return Files.createTempDirectory("flick-slow").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @LocalServerPort
    int port;

    @Test
    void healthAnswersWithinTwoSecondsWhileTenThousandConnectionsTrickleHeaders() throws Exception {
        int attackers = Math.min(ATTACKERS, openFileLimit() - 1_000);
        System.out.println("Slow connections: " + attackers + " trickling sockets (open-file limit " + openFileLimit() + ")");
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        InetSocketAddress hub = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
        ByteBuffer start = ByteBuffer.wrap("GET /actuator/health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        List<SocketChannel> open = new ArrayList<>();
        int connected = 0;
        try {
            for (int i = 0; i < attackers; i++) {
                SocketChannel c = SocketChannel.open();
                try {
                    c.bind(new InetSocketAddress(attacker, 0));
                    c.connect(hub);
                    c.configureBlocking(false);
                    c.write(start.duplicate());
                    connected++;
                    open.add(c);
                } catch (IOException refusedOrReset) {
                    c.close();
                }
                if (i % 1_000 == 999) {
                    assertThat(healthMillis()).as("health after %d connections", i + 1).isLessThan(2_000);
                    open.removeIf(SlowConnectionsTest::closedByHub); // frees the sockets the cap refused
                }
            }
            assertThat(connected).as("connections the kernel accepted").isGreaterThan(attackers / 2);
            open.removeIf(SlowConnectionsTest::closedByHub);
            assertThat(open.size()).as("connections the hub kept from one address").isLessThanOrEqualTo(256 + 50);

            // Trickle a byte a second to every connection still open; the header deadline must close them.
            long deadline = System.nanoTime() + HEADER_TIMEOUT.plusSeconds(6).toNanos();
            while (System.nanoTime() < deadline && !open.isEmpty()) {
                long started = System.nanoTime();
                open.removeIf(SlowConnectionsTest::trickleOrClosed);
                assertThat(healthMillis()).as("health while %d connections trickle", open.size()).isLessThan(2_000);
                long spent = Duration.ofNanos(System.nanoTime() - started).toMillis();
                if (spent < 1_000) Thread.sleep(1_000 - spent); // the attacker's pace, not a wait for the hub
            }
            assertThat(open).as("trickling connections outlive the header deadline").isEmpty();
        } finally {
            for (SocketChannel c : open) c.close();
        }
    }

    /** True (and closed here) when the hub has closed the connection. */
    private static boolean closedByHub(SocketChannel c) {
        try {
            if (c.read(ByteBuffer.allocate(256)) < 0) {
                c.close();
                return true;
            }
            return false;
        } catch (IOException reset) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already gone
            }
            return true;
        }
    }

    private static boolean trickleOrClosed(SocketChannel c) {
        if (closedByHub(c)) return true;
        try {
            c.write(ByteBuffer.wrap(new byte[] {'a'}));
            return false;
        } catch (IOException reset) {
            return closedByHub(c);
        }
    }

    private static int openFileLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max open files"))
                    .map(l -> l.split("\\s+")[3]).map(Integer::parseInt).findFirst().orElse(4_096);
        } catch (IOException | NumberFormatException e) {
            return 4_096;
        }
    }

    private long healthMillis() {
        long start = System.nanoTime();
        HubClient.Response r = new HubClient(port).get("/actuator/health", null);
        assertThat(r.status()).isEqualTo(200);
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
