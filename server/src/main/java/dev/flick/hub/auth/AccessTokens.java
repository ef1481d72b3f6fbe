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

    static final String SESSION_MARK = "sv";
    /** The sign-in session (refresh-token family) the token was issued in: signing out of it ends the token. */
    static final String SESSION_ID = "sid";

    private final JwtEncoder encoder;
    private final JwtDecoder decoder;
    private final Sessions sessions;
    private final EndedSessions ended;

    AccessTokens(JwtEncoder encoder, JwtDecoder decoder, Sessions sessions, EndedSessions ended) {
        this.encoder = encoder;
        this.decoder = decoder;
        this.sessions = sessions;
        this.ended = ended;
    }

    String issue(User user, String session) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .subject(user.id())
                .issuedAt(now)
                .expiresAt(now.plus(LIFETIME))
                .claim("email", user.email())
                .claim("role", user.role())
                .claim(SESSION_MARK, sessions.mark(user.id()))
                .claim(SESSION_ID, session)
                .build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims)).getTokenValue();
    }

    /**
     * The user a token speaks for, when it is well-formed, correctly signed, not expired and its sessions were not
     * ended since it was issued (the decoder's validator checks the session mark).
     */
    public Optional<AuthenticatedUser> verify(String token) {
        if (token == null || token.isBlank()) return Optional.empty();
        try {
            return Optional.of(toUser(decoder.decode(token)));
        } catch (JwtException e) {
            return Optional.empty();
        }
    }

    /** Whether a user verified earlier (a long-lived socket) still has a live session. */
    public boolean stillValid(AuthenticatedUser user) {
        return user.expiresAt() > System.currentTimeMillis() && sessions.valid(user.id(), user.sessionMark())
                && !ended.ended(user.session());
    }

    static long mark(Jwt jwt) {
        Object sv = jwt.getClaims().get(SESSION_MARK);
        return sv instanceof Number n ? n.longValue() : -1;
    }

    static AuthenticatedUser toUser(Jwt jwt) {
        Instant exp = jwt.getExpiresAt();
        return new AuthenticatedUser(jwt.getSubject(), jwt.getClaimAsString("email"), jwt.getClaimAsString("role"),
                exp == null ? 0 : exp.toEpochMilli(), mark(jwt), jwt.getClaimAsString(SESSION_ID));
    }
}
