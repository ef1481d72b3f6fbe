package dev.flick.hub.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.source.ImmutableSecret;

import dev.flick.hub.HubClient;
import dev.flick.hub.logs.EventLog;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The red-team findings of issue 13 that one hub can show, over real HTTP from loopback (a trusted proxy by
 * default): body limits, forwarded headers, token lifetimes, the 72-byte rule, file modes, log-line escaping,
 * actuator access, invalid paths, filter values and the Referrer-Policy.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class HardeningTest {

    static final String PASSWORD = "correct horse battery";
    static final String JWT_SECRET = "0123456789abcdef0123456789abcdef-hardening";
    static Path dataDir;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws Exception {
        dataDir = Files.createTempDirectory("flick-hardening");
        registry.add("flick.data-dir", dataDir::toString);
        registry.add("flick.database-url", () -> "");
        registry.add("flick.local-collector", () -> "false");
        registry.add("flick.jwt-secret", () -> JWT_SECRET);
        registry.add("flick.auth.login-attempts-per-ip", () -> "2");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EventLog eventLog;

    String admin;

    HubClient hub() {
        return new HubClient(port);
    }

    @BeforeEach
    void signIn() {
        admin = hub().admin();
    }

    @Test
    void signInBodiesOver64KiBAreRefusedWith413BeforeTheyAreRead() throws Exception {
        String big = "{\"email\":\"a@example.com\",\"password\":\"" + "x".repeat(70 * 1024) + "\"}";
        HubClient.Response r = hub().post("/api/v1/auth/login", big, null);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(r.json().path("status").asInt()).isEqualTo(413);
        assertThat(r.json().path("detail").asString()).contains("64 KiB");

        // A declared 50 MB body: the answer comes after the headers, without the hub waiting for the body.
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 52428800\r\n\r\n{\"email\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }

        // Chunked (no declared length): counted as it is read, refused at the limit.
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(hub().base() + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("\"status\":413");
    }

    @Test
    void otherBodiesAreCappedAtTheDocumentedMebibyte() {
        String name = "n".repeat(1024 * 1024 + 10);
        HubClient.Response r = hub().post("/api/v1/servers", "{\"name\":\"" + name + "\",\"mode\":\"agent\"}", admin);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().path("detail").asString()).contains("1 MiB");
        assertThat(hub().post("/api/v1/servers", "{\"name\":\"small\",\"mode\":\"agent\"}", admin).status()).isEqualTo(201);
    }

    @Test
    void behindATrustedProxyTheCookieIsSecureHstsIsSentAndTheThrottleSeesTheClient() throws Exception {
        HttpResponse<String> plain = login(Map.of(), PASSWORD, "admin@example.com");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContainIgnoringCase("secure");
        assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();

        HttpResponse<String> viaTls = login(Map.of("X-Forwarded-Proto", "https", "X-Forwarded-For", "198.51.100.7"),
                PASSWORD, "admin@example.com");
        assertThat(viaTls.statusCode()).isEqualTo(200);
        assertThat(viaTls.headers().firstValue("Set-Cookie").orElseThrow()).containsIgnoringCase("; Secure");
        assertThat(viaTls.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(v -> assertThat(v).contains("max-age="));
        HttpResponse<String> rfc7239 = login(Map.of("Forwarded", "for=198.51.100.8;proto=https"), PASSWORD, "admin@example.com");
        assertThat(rfc7239.headers().firstValue("Set-Cookie").orElseThrow()).containsIgnoringCase("; Secure");

        // Two failures per address: the client behind the proxy is held back, another client is not.
        for (int i = 0; i < 2; i++) {
            assertThat(login(Map.of("X-Forwarded-For", "203.0.113.5"), "wrong " + i, "guess" + i + "@example.com").statusCode()).isEqualTo(401);
        }
        assertThat(login(Map.of("X-Forwarded-For", "203.0.113.5"), "wrong", "guess9@example.com").statusCode()).isEqualTo(429);
        // A client cannot escape by prepending its own claim: the proxy appends the address it saw.
        assertThat(login(Map.of("X-Forwarded-For", "192.0.2.99, 203.0.113.5"), "wrong", "guess8@example.com").statusCode()).isEqualTo(429);
        assertThat(login(Map.of("X-Forwarded-For", "203.0.113.6"), PASSWORD, "admin@example.com").statusCode()).isEqualTo(200);
    }

    @Test
    void aSignedTokenWithoutExpiryIsRefused() {
        String id = hub().get("/api/v1/auth/me", admin).json().path("id").asString();
        long mark = jdbc.sql("SELECT sessions_valid_after FROM users WHERE id = ?").param(id).query(Long.class).single();
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableSecret<>(
                new SecretKeySpec(JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256")));
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder().issuer("flick").subject(id).issuedAt(Instant.now())
                .claim("email", "admin@example.com").claim("role", "admin").claim("sv", mark);
        String forever = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims.build())).getTokenValue();
        String expiring = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(),
                claims.expiresAt(Instant.now().plusSeconds(60)).build())).getTokenValue();
        assertThat(hub().get("/api/v1/auth/me", expiring).status()).as("the same token with exp").isEqualTo(200);
        assertThat(hub().get("/api/v1/auth/me", forever).status()).isEqualTo(401);
    }

    @Test
    void accessTokensEndWithTheirSessionOnLogoutAndOnRefreshReuse() {
        JsonNode other = signInFresh();
        JsonNode session = signInFresh();
        String token = session.path("accessToken").asString();
        assertThat(hub().get("/api/v1/auth/me", token).status()).isEqualTo(200);
        assertThat(hub().post("/api/v1/auth/logout", "{\"refreshToken\":\"" + session.path("refreshToken").asString() + "\"}", null).status())
                .isEqualTo(204);
        assertThat(hub().get("/api/v1/auth/me", token).status()).as("signed out").isEqualTo(401);
        assertThat(hub().get("/api/v1/auth/me", other.path("accessToken").asString()).status()).as("another session").isEqualTo(200);

        String first = other.path("refreshToken").asString();
        JsonNode rotated = hub().post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + first + "\"}", null).json();
        String next = rotated.path("accessToken").asString();
        assertThat(hub().get("/api/v1/auth/me", next).status()).isEqualTo(200);
        assertThat(hub().post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + first + "\"}", null).status()).as("reuse").isEqualTo(401);
        assertThat(hub().get("/api/v1/auth/me", next).status()).as("the family was revoked").isEqualTo(401);
    }

    @Test
    void passwordsLongerThan72BytesAreRefusedNamingTheField() {
        String longer = PASSWORD + "x".repeat(72 - PASSWORD.length()) + "suffix";
        HubClient.Response r = hub().post("/api/v1/auth/login", "{\"email\":\"admin@example.com\",\"password\":\"" + longer + "\"}", null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo("password");
    }

    @Test
    void theDatabaseFilesAreReadableByTheOwnerOnly() throws Exception {
        for (String name : new String[] {"flick.db", "flick.db-wal", "flick.db-shm"}) {
            Path file = dataDir.resolve(name);
            assertThat(file).as(name).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(name).isEqualTo("rw-------");
        }
    }

    @Test
    void lineBreaksInNamesNeverReachALogLine(CapturedOutput output) {
        HubClient.Response created = hub().post("/api/v1/servers", "{\"name\":\"box\\r\\nFORGED admin signed in\",\"mode\":\"agent\"}", admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(hub().patch("/api/v1/servers/" + id, "{\"name\":\"renamed\\nFORGED again\"}", admin).status()).isEqualTo(200);
        LoggerFactory.getLogger(HardeningTest.class).info("name: {}", "bad\r\nFORGED console line");
        eventLog.flush();
        assertThat(jdbc.sql("SELECT message FROM logs WHERE server_id = ?").param(id).query(String.class).list())
                .isNotEmpty().allSatisfy(m -> assertThat(m).doesNotContain("\n").doesNotContain("\r"));
        assertThat(output.getOut().lines().filter(l -> l.contains("FORGED")))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).doesNotStartWith("FORGED").contains(" : "));
    }

    @Test
    void actuatorMetricsAreForAdminsOnly() {
        String viewer = user("metrics-viewer@example.com", "viewer");
        assertThat(hub().get("/actuator/metrics", null).status()).isEqualTo(401);
        assertThat(hub().get("/actuator/metrics", viewer).status()).isEqualTo(403);
        assertThat(hub().get("/actuator/prometheus", viewer).status()).isEqualTo(403);
        assertThat(hub().get("/actuator/metrics", admin).status()).isEqualTo(200);
        assertThat(hub().get("/actuator/health", null).status()).isEqualTo(200);
    }

    @Test
    void invalidPathsGetAProblemNotTheContainersPage() throws Exception {
        for (String path : new String[] {"/api/v1/%00", "/foo%00bar", "/%2e%2e/%2e%2e/etc/passwd", "/api/v1/servers/%00"}) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(path).matches("(?s)HTTP/1\\.1 (400|404).*");
            assertThat(answer).as(path).containsIgnoringCase("Content-Type: application/problem+json")
                    .doesNotContainIgnoringCase("<html").doesNotContain("Apache Tomcat");
        }
    }

    @Test
    void unknownFilterValuesAreRefusedNamingTheParameter() {
        Map<String, String> cases = Map.of(
                "/api/v1/logs?source=bogus", "source",
                "/api/v1/logs?level=loud", "level",
                "/api/v1/alerts/events?state=maybe", "state",
                "/api/v1/alerts/events?severity=huge", "severity");
        cases.forEach((path, field) -> {
            HubClient.Response r = hub().get(path, admin);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.json().path("errors").get(0).path("field").asString()).as(path).isEqualTo(field);
        });
        assertThat(hub().get("/api/v1/logs?source=hub", admin).status()).isEqualTo(200);
    }

    @Test
    void noPageOrAnswerSendsAReferrer() {
        for (String path : new String[] {"/", "/api/v1/auth/status", "/api/v1/servers"}) {
            assertThat(hub().get(path, admin).headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
        }
    }

    private HttpResponse<String> login(Map<String, String> headers, String password, String email) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub().base() + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}"));
        headers.forEach(b::header);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode signInFresh() {
        HubClient.Response r = hub().post("/api/v1/auth/login", "{\"email\":\"admin@example.com\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private String user(String email, String role) {
        HubClient.Response r = hub().post("/api/v1/users",
                "{\"email\":\"" + email + "\",\"role\":\"" + role + "\",\"password\":\"" + PASSWORD + "\"}", admin);
        assertThat(r.status()).as(r.body()).isIn(201, 409);
        return hub().post("/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}", null)
                .json().path("accessToken").asString();
    }

    private String raw(String request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(Duration.ofSeconds(10).toMillisPart() + 10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
