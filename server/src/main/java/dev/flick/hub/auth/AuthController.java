package dev.flick.hub.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.logs.EventLog;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    static final String REFRESH_COOKIE = "flick_refresh";

    private final UserAccounts users;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final PasswordEncoder passwords;
    private final EventLog audit;
    private final String dummyHash;

    AuthController(UserAccounts users, AccessTokens accessTokens, RefreshTokens refreshTokens, PasswordEncoder passwords,
                   EventLog audit) {
        this.audit = audit;
        this.users = users;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.passwords = passwords;
        // Checked against for unknown accounts, so they take as long to refuse as known ones.
        this.dummyHash = passwords.encode("flick-timing-equaliser");
    }

    record Status(boolean setupRequired, List<String> providers) {}

    record SetupRequest(@NotBlank @Email @Size(max = 254) String email, String password, @Size(max = 100) String name) {}

    record LoginRequest(@NotBlank String email, @NotBlank String password) {}

    record RefreshRequest(String refreshToken) {}

    record Session(String accessToken, String refreshToken, long expiresIn, User user) {}

    @GetMapping("/status")
    Status status() {
        return new Status(!users.anyExist(), List.of());
    }

    @PostMapping("/setup")
    @ResponseStatus(HttpStatus.CREATED)
    Session setup(@Valid @RequestBody SetupRequest req, HttpServletRequest http, HttpServletResponse response) {
        if (users.anyExist()) throw new ApiProblem(HttpStatus.CONFLICT, "Setup is already done: sign in instead");
        PasswordPolicy.check("password", req.password());
        String name = req.name() == null || req.name().isBlank() ? req.email().trim() : req.name().trim();
        User admin = users.createFirstAdmin(req.email(), name, passwords.encode(req.password()))
                .orElseThrow(() -> new ApiProblem(HttpStatus.CONFLICT, "Setup is already done: sign in instead"));
        audit.hub("notice", "Admin account created at first run", admin.email(), "user:" + admin.id(), null);
        return start(admin, http, response);
    }

    @PostMapping("/login")
    Session login(@Valid @RequestBody LoginRequest req, HttpServletRequest http, HttpServletResponse response) {
        Optional<UserAccounts.Account> account = users.byEmail(req.email());
        String hash = account.map(UserAccounts.Account::passwordHash).filter(h -> h != null).orElse(dummyHash);
        boolean matches = passwords.matches(req.password(), hash);
        if (account.isEmpty() || !matches || account.get().disabled()) {
            audit.hub("warning", "Failed sign-in from " + http.getRemoteAddr(), truncate(req.email()), null, null);
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Wrong email or password");
        }
        User user = account.get().user();
        audit.hub("info", "Signed in from " + http.getRemoteAddr(), user.email(), "user:" + user.id(), null);
        return start(user, http, response);
    }

    @PostMapping("/refresh")
    Session refresh(@RequestBody(required = false) RefreshRequest req,
                    @CookieValue(name = REFRESH_COOKIE, required = false) String cookie,
                    HttpServletRequest http, HttpServletResponse response) {
        String presented = req != null && req.refreshToken() != null && !req.refreshToken().isBlank() ? req.refreshToken() : cookie;
        if (presented == null || presented.isBlank()) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "No refresh token presented");
        }
        return switch (refreshTokens.rotate(presented)) {
            case RefreshTokens.Rotation.Rotated r -> {
                User user = users.byId(r.userId()).orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, "Session ended"));
                yield session(user, r.token(), http, response);
            }
            case RefreshTokens.Rotation.Refused refused -> {
                clearCookie(http, response);
                throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Session ended: sign in again");
            }
        };
    }

    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(@RequestBody(required = false) RefreshRequest req,
                @CookieValue(name = REFRESH_COOKIE, required = false) String cookie,
                HttpServletRequest http, HttpServletResponse response) {
        String presented = req != null && req.refreshToken() != null ? req.refreshToken() : cookie;
        if (presented != null && !presented.isBlank()) {
            refreshTokens.revoke(presented);
        }
        clearCookie(http, response);
    }

    @GetMapping("/me")
    User me(@AuthenticationPrincipal Jwt jwt) {
        return users.byId(jwt.getSubject()).orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, "Session ended"));
    }

    private static String truncate(String s) {
        String t = s.trim();
        return t.length() > 254 ? t.substring(0, 254) : t;
    }

    private Session start(User user, HttpServletRequest http, HttpServletResponse response) {
        return session(user, refreshTokens.issue(user.id()), http, response);
    }

    private Session session(User user, String refreshToken, HttpServletRequest http, HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(refreshToken, RefreshTokens.LIFETIME, http).toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        return new Session(accessTokens.issue(user), refreshToken, AccessTokens.LIFETIME.toSeconds(), user);
    }

    private static void clearCookie(HttpServletRequest http, HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie("", Duration.ZERO, http).toString());
    }

    private static ResponseCookie cookie(String value, Duration maxAge, HttpServletRequest http) {
        return ResponseCookie.from(REFRESH_COOKIE, value)
                .httpOnly(true)
                .secure(http.isSecure())
                .sameSite("Strict")
                .path("/api/v1/auth")
                .maxAge(maxAge)
                .build();
    }
}
