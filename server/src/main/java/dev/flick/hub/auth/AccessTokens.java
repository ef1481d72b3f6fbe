package dev.flick.hub.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/** Short-lived HS256 access tokens: what REST calls and the WebSocket's auth message carry. */
@Component
public class AccessTokens {

    static final Duration LIFETIME = Duration.ofMinutes(15);
    static final String ISSUER = "flick";

    private final JwtEncoder encoder;
    private final JwtDecoder decoder;

    AccessTokens(JwtEncoder encoder, JwtDecoder decoder) {
        this.encoder = encoder;
        this.decoder = decoder;
    }

    String issue(User user) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .subject(user.id())
                .issuedAt(now)
                .expiresAt(now.plus(LIFETIME))
                .claim("email", user.email())
                .claim("role", user.role())
                .build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims)).getTokenValue();
    }

    /** The user a token speaks for, when it is well-formed, correctly signed and not expired. */
    public Optional<AuthenticatedUser> verify(String token) {
        if (token == null || token.isBlank()) return Optional.empty();
        try {
            return Optional.of(toUser(decoder.decode(token)));
        } catch (JwtException e) {
            return Optional.empty();
        }
    }

    static AuthenticatedUser toUser(Jwt jwt) {
        Instant exp = jwt.getExpiresAt();
        return new AuthenticatedUser(jwt.getSubject(), jwt.getClaimAsString("email"), jwt.getClaimAsString("role"),
                exp == null ? 0 : exp.toEpochMilli());
    }
}
