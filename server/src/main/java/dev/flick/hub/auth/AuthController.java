package dev.flick.hub.auth;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.api.FieldCode;
import dev.flick.hub.api.ProblemCode;
import dev.flick.hub.logs.EventLog;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sign-in and one's own account. Sign-in answers the same way, after the same bcrypt work, whether or not the
 * account exists; failures are throttled per address and per account name. With two-factor on, the password step
 * answers {@code {mfaRequired, mfaToken}} and {@code /login/totp} completes it.
 */
@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    static final String REFRESH_COOKIE = "flick_refresh";
    static final int MFA_ATTEMPTS = 5;

    private final UserAccounts users;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final PasswordEncoder passwords;
    private final Passwords passwordChanges;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final TwoFactor twoFactor;
    private final Identities identities;
    private final SocialProviders providers;
    private final SocialSignIn social;
    private final EventLog audit;
    private final String dummyHash;
    private final Tickets<MfaPending> mfa = new Tickets<>(Duration.ofMinutes(5));

    record MfaPending(String userId, String email, String method, AtomicInteger failures) {}

    AuthController(UserAccounts users, AccessTokens accessTokens, RefreshTokens refreshTokens, PasswordEncoder passwords,
                   Passwords passwordChanges, Sessions sessions, LoginThrottle throttle, TwoFactor twoFactor,
                   Identities identities, SocialProviders providers, SocialSignIn social, EventLog audit) {
        this.users = users;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.passwords = passwords;
        this.passwordChanges = passwordChanges;
        this.sessions = sessions;
        this.throttle = throttle;
        this.twoFactor = twoFactor;
        this.identities = identities;
        this.providers = providers;
        this.social = social;
        this.audit = audit;
        // Checked against for unknown accounts, so they take as long to refuse as known ones.
        this.dummyHash = passwords.encode("flick-timing-equaliser");
    }

    record Provider(String id, String name) {}

    record Status(boolean setupRequired, List<Provider> providers) {}

    record SetupRequest(@NotBlank @Email @Size(max = 254) String email, String password, @Size(max = 100) String name) {}

    record LoginRequest(@NotBlank String email, @NotBlank String password) {}

    record TotpLoginRequest(String mfaToken, String code) {}

    record ExchangeRequest(String code) {}

    record RefreshRequest(String refreshToken) {}

    record PasswordChange(String currentPassword, String newPassword) {}

    record PasswordSet(String code, String newPassword) {}

    record ProfileChange(@Size(max = 100) String name, @Size(max = 20) String locale) {}

    record CodeRequest(String code) {}

    record LinkRequest(String provider) {}

    /** The web client posts a form to url with the field link = ticket (never a URL query: tickets stay out of history). */
    record LinkStart(String url, String ticket) {}

    record Enrollment(String secret, String otpauthUri) {}

    record RecoveryCodes(List<String> recoveryCodes) {}

    /** What a sign-in step answers: a session, or the request for a second factor. */
    sealed interface SignIn permits Session, MfaChallenge {}

    record Session(String accessToken, String refreshToken, long expiresIn, User user) implements SignIn {}

    record MfaChallenge(boolean mfaRequired, String mfaToken) implements SignIn {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Profile(String id, String email, String name, String role, String locale, boolean hasPassword,
                   boolean twoFactor, Integer recoveryCodesLeft, List<Identities.Identity> identities) {}

    @GetMapping("/status")
    Status status() {
        return new Status(!users.anyExist(), providers.enabled().stream().map(p -> new Provider(p.id(), p.name())).toList());
    }

    @PostMapping("/setup")
    @ResponseStatus(HttpStatus.CREATED)
    Session setup(@Valid @RequestBody SetupRequest req, HttpServletRequest http, HttpServletResponse response) {
        if (users.anyExist()) throw new ApiProblem(HttpStatus.CONFLICT, ProblemCode.SETUP_DONE, "Setup is already done: sign in instead");
        PasswordPolicy.check("password", req.password(), req.email());
        String name = req.name() == null || req.name().isBlank() ? req.email().trim() : req.name().trim();
        User admin = users.createFirstAdmin(req.email(), name, passwords.encode(req.password()))
                .orElseThrow(() -> new ApiProblem(HttpStatus.CONFLICT, ProblemCode.SETUP_DONE, "Setup is already done: sign in instead"));
        audit.hub("notice", "Admin account created at first run", admin.email(), "user:" + admin.id(), null);
        return start(admin, http, response);
    }

    @PostMapping("/login")
    SignIn login(@Valid @RequestBody LoginRequest req, HttpServletRequest http, HttpServletResponse response) {
        PasswordPolicy.checkPresented("password", req.password());
        String address = http.getRemoteAddr();
        throttle.check(address, req.email());
        Optional<UserAccounts.Account> account = users.byEmail(req.email());
        String hash = account.map(UserAccounts.Account::passwordHash).filter(h -> h != null).orElse(dummyHash);
        boolean matches = passwords.matches(req.password(), hash);
        if (account.isEmpty() || !matches || account.get().disabled() || account.get().passwordHash() == null) {
            throttle.failed(address, req.email());
            audit.hub("warning", "Failed sign-in from " + address, truncate(req.email()), null, null);
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.WRONG_CREDENTIALS, "Wrong email or password");
        }
        return signedIn(account.get().user(), "password", http, response);
    }

    @PostMapping("/login/totp")
    Session loginTotp(@RequestBody TotpLoginRequest req, HttpServletRequest http, HttpServletResponse response) {
        String address = http.getRemoteAddr();
        MfaPending pending = mfa.peek(req == null ? null : req.mfaToken())
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.SIGN_IN_EXPIRED, "The sign-in expired: start again"));
        throttle.check(address, pending.email());
        if (!twoFactor.verify(pending.userId(), req.code())) {
            throttle.failed(address, pending.email());
            if (pending.failures().incrementAndGet() >= MFA_ATTEMPTS) mfa.take(req.mfaToken());
            audit.hub("warning", "Failed second factor from " + address, pending.email(), "user:" + pending.userId(), null);
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.WRONG_CODE, "Wrong code");
        }
        if (mfa.take(req.mfaToken()).isEmpty()) throw new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.SIGN_IN_EXPIRED, "The sign-in expired: start again");
        User user = users.byId(pending.userId()).orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.SESSION_ENDED, "Session ended"));
        audit.hub("info", "Signed in from " + address + " (" + pending.method() + " and two-factor)", user.email(), "user:" + user.id(), null);
        return start(user, http, response);
    }

    /** The web client trades the single-use code a social sign-in redirected with for FLick's own tokens. */
    @PostMapping("/exchange")
    SignIn exchange(@RequestBody ExchangeRequest req, HttpServletRequest http, HttpServletResponse response) {
        SocialSignIn.Completed done = social.redeem(req == null ? null : req.code())
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.CODE_UNKNOWN, "The sign-in code is unknown, used or expired"));
        User user = users.byId(done.userId()).orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.ACCOUNT_DISABLED, "Account disabled"));
        return signedIn(user, done.provider(), http, response);
    }

    private SignIn signedIn(User user, String method, HttpServletRequest http, HttpServletResponse response) {
        if (twoFactor.enabled(user.id())) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            return new MfaChallenge(true, mfa.issue(new MfaPending(user.id(), user.email(), method, new AtomicInteger())));
        }
        audit.hub("info", "Signed in from " + http.getRemoteAddr() + ("password".equals(method) ? "" : " (" + method + ")"),
                user.email(), "user:" + user.id(), null);
        return start(user, http, response);
    }

    @PostMapping("/refresh")
    Session refresh(@RequestBody(required = false) RefreshRequest req,
                    @CookieValue(name = REFRESH_COOKIE, required = false) String cookie,
                    HttpServletRequest http, HttpServletResponse response) {
        String presented = req != null && req.refreshToken() != null && !req.refreshToken().isBlank() ? req.refreshToken() : cookie;
        if (presented == null || presented.isBlank()) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.NO_REFRESH_TOKEN, "No refresh token presented");
        }
        return switch (refreshTokens.rotate(presented)) {
            case RefreshTokens.Rotation.Rotated r -> {
                User user = users.byId(r.userId()).orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.SESSION_ENDED, "Session ended"));
                yield session(user, r.next(), http, response);
            }
            case RefreshTokens.Rotation.Refused refused -> {
                clearCookie(http, response);
                throw new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.SESSION_ENDED, "Session ended: sign in again");
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

    /** Sign out everywhere: every refresh token revoked, every access token refused, every socket closed. */
    @PostMapping("/logout-all")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logoutAll(@AuthenticationPrincipal Jwt jwt, HttpServletRequest http, HttpServletResponse response) {
        sessions.endAll(jwt.getSubject(), "signed out everywhere");
        audit.hub("notice", "Signed out everywhere", Roles.actor(jwt), "user:" + jwt.getSubject(), null);
        clearCookie(http, response);
    }

    /** Changes one's password; every other session ends and this one continues with the new tokens returned. */
    @PostMapping("/password")
    Session changePassword(@RequestBody PasswordChange req, @AuthenticationPrincipal Jwt jwt,
                           HttpServletRequest http, HttpServletResponse response) {
        UserAccounts.Account account = users.account(jwt.getSubject())
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.SESSION_ENDED, "Session ended"));
        if (req == null) throw ApiProblem.badField("newPassword", FieldCode.REQUIRED, Map.of(), "is required");
        PasswordPolicy.checkPresented("currentPassword", req.currentPassword());
        if (account.passwordHash() != null) {
            throttle.check(http.getRemoteAddr(), account.user().email());
            if (req.currentPassword() == null || !passwords.matches(req.currentPassword(), account.passwordHash())) {
                throttle.failed(http.getRemoteAddr(), account.user().email());
                throw ApiProblem.badField("currentPassword", FieldCode.NOT_CURRENT_PASSWORD, Map.of(), "is not your current password");
            }
        }
        passwordChanges.replace(account.user().id(), "newPassword", req.newPassword(), account.user().email(), "password changed");
        audit.hub("notice", "Password changed", account.user().email(), "user:" + account.user().id(), null);
        return start(account.user(), http, response);
    }

    /** Sets a password with an invite or reset code, then signs in. */
    @PostMapping("/password/set")
    Session setPassword(@RequestBody PasswordSet req, HttpServletRequest http, HttpServletResponse response) {
        String address = http.getRemoteAddr();
        throttle.check(address, null);
        if (req == null) throw ApiProblem.badField("code", FieldCode.REQUIRED, Map.of(), "is required");
        Optional<String> userId = passwordChanges.peek(req.code());
        Optional<UserAccounts.Account> account = userId.flatMap(users::account).filter(a -> !a.disabled());
        if (account.isEmpty()) {
            throttle.failed(address, null);
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.CODE_UNKNOWN, "The code is unknown, used or expired");
        }
        User user = account.get().user();
        String hash = passwordChanges.hash("newPassword", req.newPassword(), user.email());
        if (passwordChanges.redeem(req.code()).isEmpty()) throw new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.CODE_UNKNOWN, "The code is unknown, used or expired");
        users.setPasswordHash(user.id(), hash);
        sessions.endAll(user.id(), "password set");
        audit.hub("notice", "Password set with a code", user.email(), "user:" + user.id(), null);
        return start(user, http, response);
    }

    @GetMapping("/me")
    Profile me(@AuthenticationPrincipal Jwt jwt) {
        UserAccounts.Listed u = users.listed(jwt.getSubject()).filter(l -> !l.disabled())
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, ProblemCode.SESSION_ENDED, "Session ended"));
        return new Profile(u.id(), u.email(), u.name(), u.role(), u.locale(), u.hasPassword(), u.twoFactor(),
                u.twoFactor() ? twoFactor.recoveryCodesLeft(u.id()) : null, identities.of(u.id()));
    }

    @PatchMapping("/me")
    Profile updateMe(@Valid @RequestBody ProfileChange req, @AuthenticationPrincipal Jwt jwt) {
        if (req.locale() != null && !req.locale().isBlank() && !req.locale().matches("[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})?"))
            throw ApiProblem.badField("locale", "must be a language tag such as en or ko");
        users.updateProfile(jwt.getSubject(), req.name() == null ? null : req.name().trim(), req.locale());
        return me(jwt);
    }

    /** Starts linking a provider to the signed-in account: the browser goes to the returned URL. */
    @PostMapping("/identities")
    LinkStart link(@RequestBody LinkRequest req, @AuthenticationPrincipal Jwt jwt) {
        String provider = req == null ? null : req.provider();
        if (providers.enabled().stream().noneMatch(p -> p.id().equals(provider)))
            throw ApiProblem.badField("provider", "is not an enabled sign-in provider");
        return new LinkStart("/oauth2/authorization/" + provider, social.linkTicket(jwt.getSubject()));
    }

    @DeleteMapping("/identities/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unlink(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        String userId = jwt.getSubject();
        List<Identities.Identity> mine = identities.of(userId);
        boolean hasPassword = users.account(userId).map(a -> a.passwordHash() != null).orElse(false);
        if (mine.stream().noneMatch(i -> i.id().equals(id))) throw ApiProblem.notFound("Sign-in method");
        if (!hasPassword && mine.size() == 1)
            throw new ApiProblem(HttpStatus.CONFLICT, ProblemCode.ONLY_SIGN_IN_METHOD, "This is your only way to sign in: set a password first");
        identities.unlink(userId, id);
        audit.hub("notice", "Sign-in method unlinked", Roles.actor(jwt), "user:" + userId, null);
    }

    @PostMapping("/totp/setup")
    Enrollment totpSetup(@AuthenticationPrincipal Jwt jwt) {
        TwoFactor.Enrollment e = twoFactor.begin(jwt.getSubject(), jwt.getClaimAsString("email"));
        return new Enrollment(e.secret(), e.otpauthUri());
    }

    @PostMapping("/totp/confirm")
    RecoveryCodes totpConfirm(@RequestBody CodeRequest req, @AuthenticationPrincipal Jwt jwt) {
        List<String> codes = twoFactor.confirm(jwt.getSubject(), req == null ? null : req.code());
        audit.hub("notice", "Two-factor sign-in turned on", Roles.actor(jwt), "user:" + jwt.getSubject(), null);
        return new RecoveryCodes(codes);
    }

    @PostMapping("/totp/disable")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void totpDisable(@RequestBody CodeRequest req, @AuthenticationPrincipal Jwt jwt, HttpServletRequest http) {
        requireSecondFactor(jwt, req, http);
        twoFactor.disable(jwt.getSubject());
        audit.hub("notice", "Two-factor sign-in turned off", Roles.actor(jwt), "user:" + jwt.getSubject(), null);
    }

    @PostMapping("/totp/recovery-codes")
    RecoveryCodes newRecoveryCodes(@RequestBody CodeRequest req, @AuthenticationPrincipal Jwt jwt, HttpServletRequest http) {
        requireSecondFactor(jwt, req, http);
        return new RecoveryCodes(twoFactor.newRecoveryCodes(jwt.getSubject()));
    }

    private void requireSecondFactor(Jwt jwt, CodeRequest req, HttpServletRequest http) {
        String email = jwt.getClaimAsString("email");
        throttle.check(http.getRemoteAddr(), email);
        if (!twoFactor.verify(jwt.getSubject(), req == null ? null : req.code())) {
            throttle.failed(http.getRemoteAddr(), email);
            throw ApiProblem.badField("code", "is not a current code or an unused recovery code");
        }
    }

    private static String truncate(String s) {
        String t = s.trim();
        return t.length() > 254 ? t.substring(0, 254) : t;
    }

    private Session start(User user, HttpServletRequest http, HttpServletResponse response) {
        return session(user, refreshTokens.issue(user.id()), http, response);
    }

    private Session session(User user, RefreshTokens.Issued refresh, HttpServletRequest http, HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(refresh.token(), RefreshTokens.LIFETIME, http).toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        return new Session(accessTokens.issue(user, refresh.family()), refresh.token(), AccessTokens.LIFETIME.toSeconds(), user);
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
