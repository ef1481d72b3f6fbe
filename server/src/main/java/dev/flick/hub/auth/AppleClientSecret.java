package dev.flick.hub.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Apple's "client secret" is not a secret string but an ES256 JWT signed with the team's key (iss = team id,
 * sub = services id, aud = https://appleid.apple.com), valid for at most six months. It is signed on first use
 * and signed again once less than a tenth of its lifetime (or a day) is left.
 */
final class AppleClientSecret {

    static final String AUDIENCE = "https://appleid.apple.com";
    static final Duration MAX_LIFETIME = Duration.ofDays(180);

    private final String teamId;
    private final String keyId;
    private final String clientId;
    private final ECPrivateKey key;
    private final Duration lifetime;
    private volatile String current;
    private volatile Instant expiresAt = Instant.EPOCH;

    AppleClientSecret(String teamId, String keyId, String clientId, String privateKey, Duration lifetime) {
        this.teamId = teamId;
        this.keyId = keyId;
        this.clientId = clientId;
        this.key = parse(privateKey);
        this.lifetime = lifetime.compareTo(MAX_LIFETIME) > 0 ? MAX_LIFETIME : lifetime;
    }

    synchronized String value(Instant now) {
        Duration margin = lifetime.dividedBy(10).compareTo(Duration.ofDays(1)) < 0 ? lifetime.dividedBy(10) : Duration.ofDays(1);
        if (current == null || now.plus(margin).isAfter(expiresAt)) {
            Instant exp = now.plus(lifetime);
            current = sign(now, exp);
            expiresAt = exp;
        }
        return current;
    }

    private String sign(Instant iat, Instant exp) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).build(),
                    new JWTClaimsSet.Builder().issuer(teamId).subject(clientId).audience(AUDIENCE)
                            .issueTime(Date.from(iat)).expirationTime(Date.from(exp)).build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign Apple's client secret: " + e.getMessage(), e);
        }
    }

    /** PEM text of a PKCS#8 EC key (Apple's .p8 download), or a path to such a file. */
    static ECPrivateKey parse(String pemOrPath) {
        try {
            String pem = pemOrPath.contains("BEGIN") ? pemOrPath : Files.readString(Path.of(pemOrPath.trim()));
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (IOException | java.security.GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("FLICK_APPLE_PRIVATE_KEY is not an EC private key in PKCS#8 PEM (the .p8 file Apple gives)", e);
        }
    }
}
