package dev.flick.hub.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.flick.hub.HubClient;

/**
 * Kakao, Facebook and Apple as a hub sees them, on the JDK's HTTP server: token endpoints, Kakao's
 * /v2/user/me with the profile nested under kakao_account, Facebook's Graph /me, and Apple's JWKS and
 * id_tokens. Apple's token endpoint checks the ES256 client-secret JWT against the public half of the team key.
 */
final class ProviderStub implements AutoCloseable {

    record Grant(String provider, Map<String, Object> profile, String nonce) {}

    final HttpServer server;
    final RSAKey signingKey;
    final KeyPair appleTeamKey;
    final String appleKeyPem;
    final List<String> appleSecretProblems = new CopyOnWriteArrayList<>();
    final List<SignedJWT> appleSecretsSeen = new CopyOnWriteArrayList<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();

    ProviderStub() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("stub-1").generate();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        appleTeamKey = g.generateKeyPair();
        appleKeyPem = "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(appleTeamKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/kakao/token", ex -> token(ex, "kakao"));
        server.createContext("/kakao/v2/user/me", ex -> userInfo(ex));
        server.createContext("/facebook/token", ex -> token(ex, "facebook"));
        server.createContext("/facebook/me", ex -> userInfo(ex));
        server.createContext("/apple/auth/token", ex -> token(ex, "apple"));
        server.createContext("/apple/auth/keys", ex -> send(ex, 200, new JWKSet(signingKey.toPublicJWK()).toString()));
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** What the provider would do after the user agreed: a code for the hub's callback. */
    String approve(String provider, Map<String, Object> profile, String nonce) {
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(provider, profile, nonce));
        return code;
    }

    private void token(HttpExchange ex, String provider) throws IOException {
        Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = codes.remove(form.getOrDefault("code", ""));
        if (grant == null || !grant.provider().equals(provider)) {
            send(ex, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        if ("apple".equals(provider) && !appleSecretValid(form.get("client_secret"), form.get("client_id"))) {
            send(ex, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String access = UUID.randomUUID().toString();
        tokens.put(access, grant);
        Map<String, Object> body = new HashMap<>(Map.of("access_token", access, "token_type", "bearer", "expires_in", 3600));
        if ("apple".equals(provider)) body.put("id_token", idToken(grant, form.get("client_id")));
        send(ex, 200, HubClient.JSON.writeValueAsString(body));
    }

    private boolean appleSecretValid(String secret, String clientId) {
        try {
            SignedJWT jwt = SignedJWT.parse(secret);
            appleSecretsSeen.add(jwt);
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (!jwt.verify(new ECDSAVerifier((ECPublicKey) appleTeamKey.getPublic()))) appleSecretProblems.add("signature");
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) appleSecretProblems.add("alg");
            if (!"APPLEKEY01".equals(jwt.getHeader().getKeyID())) appleSecretProblems.add("kid");
            if (!"TEAM123456".equals(c.getIssuer())) appleSecretProblems.add("iss");
            if (!clientId.equals(c.getSubject())) appleSecretProblems.add("sub");
            if (!c.getAudience().contains("https://appleid.apple.com")) appleSecretProblems.add("aud");
            if (c.getExpirationTime().toInstant().isBefore(Instant.now())) appleSecretProblems.add("expired");
            if (c.getExpirationTime().getTime() - c.getIssueTime().getTime() > 180L * 86_400_000) appleSecretProblems.add("too long");
            return appleSecretProblems.isEmpty();
        } catch (Exception e) {
            appleSecretProblems.add(e.toString());
            return false;
        }
    }

    private String idToken(Grant grant, String clientId) {
        try {
            Instant now = Instant.now();
            JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(base() + "/apple").audience(clientId)
                    .subject((String) grant.profile().get("sub")).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
            grant.profile().forEach((k, v) -> {
                if (!"sub".equals(k)) c.claim(k, v);
            });
            if (grant.nonce() != null) c.claim("nonce", grant.nonce());
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(), c.build());
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void userInfo(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Grant grant = auth == null ? null : tokens.get(auth.replaceFirst("(?i)^bearer ", ""));
        if (grant == null) {
            send(ex, 401, "{\"error\":\"invalid_token\"}");
            return;
        }
        send(ex, 200, HubClient.JSON.writeValueAsString(grant.profile()));
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
