package dev.flick.hub.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.flick.hub.FlickApplication;
import dev.flick.hub.PostgresSchema;
import dev.flick.hub.Requirements;

import org.junit.jupiter.api.Test;

/**
 * The fault-injection parts do what the fault tests rely on, against the real things: the proxy really breaks (or
 * stalls) a PostgreSQL connection, including the hub's own pool; kill -9 really is SIGKILL and the hub comes back
 * on its port and data dir; a tmpfs really fills and frees; libfaketime really shifts a JVM's wall clock.
 */
class FaultInfrastructureTest {

    @Test
    void theSurefireClassPathCarriesTheHubAndEveryDependency() {
        List<String> entries = Arrays.asList(HubProcess.classPath().split(File.pathSeparator));
        assertThat(entries).as("java.class.path under Surefire").hasSizeGreaterThan(20)
                .anyMatch(e -> e.endsWith(Path.of("server", "target", "classes").toString()))
                .anyMatch(e -> e.endsWith(Path.of("server", "target", "test-classes").toString()))
                .anyMatch(e -> e.contains("spring-boot-") && e.endsWith(".jar"))
                .anyMatch(e -> e.contains("sqlite-jdbc"))
                .anyMatch(e -> e.contains("postgresql"));
        String mainClasses = Path.of("server", "target", "classes").toString();
        assertThat(Path.of(entries.stream().filter(e -> e.endsWith(mainClasses)).findFirst().orElseThrow(),
                FlickApplication.class.getName().replace('.', File.separatorChar) + ".class")).exists();
    }

    @Test
    void aRefusingCutResetsAnOpenPostgresConnectionAndRefusesNewOnes() throws Exception {
        FaultRequirements.postgres();
        try (TcpProxy proxy = postgresProxy(); Connection viaProxy = connect(proxy, 5)) {
            assertThat(selectOne(viaProxy)).isEqualTo(1);
            Set<Integer> upstream = proxy.upstreamPorts();
            assertThat(backendsFrom(upstream)).as("PostgreSQL sees the proxied connection").isEqualTo(1);

            proxy.cut(TcpProxy.Mode.REFUSE);
            long start = System.nanoTime();
            assertThatThrownBy(() -> selectOne(viaProxy)).isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a reset fails at once").isLessThan(Duration.ofSeconds(2));
            Eventually.until("the backend is gone", Duration.ofSeconds(10), () -> backendsFrom(upstream) == 0, () -> "");
            assertThat(proxy.openConnections()).isZero();
            assertThatThrownBy(() -> new Socket("127.0.0.1", proxy.port()).close())
                    .isInstanceOf(ConnectException.class).hasMessageContaining("refused");

            proxy.restore();
            try (Connection again = connect(proxy, 5)) {
                assertThat(selectOne(again)).isEqualTo(1);
            }
        }
    }

    @Test
    void aBlackholeCutStallsOpenConnectionsHoldsNewOnesAndLosesNothing() throws Exception {
        FaultRequirements.postgres();
        try (TcpProxy proxy = postgresProxy(); Connection timed = connect(proxy, 2); Connection patient = connect(proxy, 0)) {
            assertThat(selectOne(timed)).isEqualTo(1);
            assertThat(selectOne(patient)).isEqualTo(1);

            proxy.cut(TcpProxy.Mode.BLACKHOLE);
            long start = System.nanoTime();
            assertThatThrownBy(() -> selectOne(timed)).isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no answer: only the socket timeout ends it")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
            CompletableFuture<Integer> stalled = CompletableFuture.supplyAsync(() -> {
                try {
                    return selectOne(patient);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket held = new Socket()) {
                held.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 1_000); // the handshake completes…
                held.setSoTimeout(1_000);
                held.getOutputStream().write(new byte[] {0, 0, 0, 8, 4, (byte) 210, 22, 47}); // SSLRequest
                InputStream in = held.getInputStream();
                assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class); // …and nothing ever answers
            }
            assertThat(stalled).isNotDone();

            proxy.restore();
            assertThat(stalled.get(10, TimeUnit.SECONDS)).as("the stalled query completes after the partition heals").isEqualTo(1);
            try (Connection again = connect(proxy, 5)) {
                assertThat(selectOne(again)).isEqualTo(1);
            }
        }
    }

    @Test
    void aProxyCutTakesTheRunningHubsPostgresConnectionsAway() throws Exception {
        String schema = PostgresSchema.create();
        try (TcpProxy proxy = postgresProxy();
             HubProcess hub = HubProcess.builder().databaseUrl(throughProxy(proxy, schema)).start()) {
            hub.waitUntilHealthy(Duration.ofSeconds(90));
            Set<Integer> upstream = proxy.upstreamPorts();
            assertThat(backendsFrom(upstream)).as("the hub's pool, connected through the proxy").isPositive();

            proxy.cut(TcpProxy.Mode.REFUSE);
            Eventually.until("the hub's backends are gone", Duration.ofSeconds(10), () -> backendsFrom(upstream) == 0, hub::tail);
            assertThat(proxy.openConnections()).isZero();
            assertThat(Health.read(hub.port(), null).answered()).as("the hub itself is still up").isTrue();

            proxy.restore();
            Eventually.until("the hub connects again through the proxy", Duration.ofSeconds(60),
                    () -> backendsFrom(proxy.upstreamPorts()) > 0, hub::tail);
        } finally {
            PostgresSchema.drop(schema);
        }
    }

    @Test
    void kill9EndsTheHubAtOnceAndItStartsAgainOnTheSamePortAndDataDir() throws Exception {
        try (HubProcess hub = HubProcess.builder().start()) {
            hub.waitUntilHealthy(Duration.ofSeconds(90));
            hub.client().admin(); // first start: creates the admin in this data dir
            long pid = hub.pid();

            assertThat(hub.kill9()).as("exit status of SIGKILL").isEqualTo(HubProcess.KILLED);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(Health.read(hub.port(), null).answered()).isFalse();

            hub.start();
            hub.waitUntilHealthy(Duration.ofSeconds(90));
            assertThat(hub.pid()).isNotEqualTo(pid);
            assertThat(hub.client().post("/api/v1/auth/setup",
                    "{\"email\":\"other@example.com\",\"password\":\"correct horse battery\"}", null).status())
                    .as("the same data dir: the admin from before the kill is there").isEqualTo(409);
            assertThat(hub.client().admin()).isNotBlank();

            assertThat(hub.stop()).as("exit status after SIGTERM and the shutdown hooks").isEqualTo(HubProcess.TERMINATED);
            assertThat(hub.output()).contains("===== hub start 2");
        }
    }

    @Test
    void aFilledTmpfsRefusesWritesUntilFreed() throws Exception {
        FaultRequirements.tmpfs();
        Path mountPoint;
        try (Tmpfs tmpfs = Tmpfs.mount(48)) {
            mountPoint = tmpfs.path();
            assertThat(mounts()).contains(mountPoint.toString());
            assertThat(tmpfs.usableBytes()).isEqualTo(48L * 1024 * 1024);

            assertThat(tmpfs.fill()).isLessThanOrEqualTo(Tmpfs.LEFT_FREE);
            Path file = mountPoint.resolve("data.bin");
            assertThatThrownBy(() -> Files.write(file, new byte[64 * 1024]))
                    .isInstanceOf(IOException.class).hasMessageContaining("No space left on device");

            tmpfs.free();
            assertThat(tmpfs.usableBytes()).isGreaterThan(47L * 1024 * 1024);
            Files.write(file, new byte[64 * 1024]);
            assertThat(Files.size(file)).isEqualTo(64 * 1024);
        }
        assertThat(mounts()).doesNotContain(mountPoint.toString());
    }

    @Test
    void aJvmUnderLibfaketimeSeesItsWallClockShifted() throws Exception {
        FaultRequirements.faketime();
        assertThat(Faketime.probe("+1h")).isCloseTo(3_600_000L, org.assertj.core.api.Assertions.within(2_000L));
        assertThat(Faketime.probe("-2d")).isCloseTo(-172_800_000L, org.assertj.core.api.Assertions.within(2_000L));
    }

    static TcpProxy postgresProxy() throws IOException {
        URI uri = URI.create(Requirements.POSTGRES_URL.substring("jdbc:".length()));
        return new TcpProxy(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    /** The schema's JDBC URL with the proxy in place of PostgreSQL's own host and port. */
    static String throughProxy(TcpProxy proxy, String schema) {
        URI uri = URI.create(PostgresSchema.jdbcUrl(schema).substring("jdbc:".length()));
        return "jdbc:postgresql://127.0.0.1:" + proxy.port() + uri.getRawPath() + "?" + uri.getRawQuery();
    }

    private static Connection connect(TcpProxy proxy, int socketTimeoutSeconds) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + URI.create(Requirements.POSTGRES_URL.substring(5)).getRawPath()
                + "?user=" + Requirements.POSTGRES_USER + "&sslmode=disable&connectTimeout=2&loginTimeout=3&socketTimeout="
                + socketTimeoutSeconds;
        return DriverManager.getConnection(url);
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** PostgreSQL's backends whose client port is one of the proxy's upstream ports, asked directly. */
    private static int backendsFrom(Set<Integer> ports) throws SQLException {
        if (ports.isEmpty()) return 0;
        try (Connection c = DriverManager.getConnection(Requirements.POSTGRES_URL, Requirements.POSTGRES_USER, "");
             PreparedStatement ps = c.prepareStatement("SELECT client_port FROM pg_stat_activity WHERE client_port IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            Set<Integer> seen = new HashSet<>();
            while (rs.next()) seen.add(rs.getInt(1));
            seen.retainAll(ports);
            return seen.size();
        }
    }

    private static String mounts() throws IOException {
        return Files.readString(Path.of("/proc/mounts"));
    }
}
