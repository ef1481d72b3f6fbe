package dev.flick.hub.users;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.auth.Passwords;
import dev.flick.hub.auth.Roles;
import dev.flick.hub.auth.Sessions;
import dev.flick.hub.auth.User;
import dev.flick.hub.auth.UserAccounts;
import dev.flick.hub.logs.EventLog;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * /api/v1/users, for admins: invite or create accounts, change roles, disable, delete, reset passwords. Disabling,
 * deleting and resetting end the user's sessions at once (their sockets close); a role change makes their access
 * tokens be renewed so the new role applies immediately. The last active admin cannot be demoted, disabled or
 * deleted. Everything is written to the event log.
 */
@RestController
@RequestMapping("/api/v1/users")
class UsersController {

    private final UserAccounts users;
    private final Passwords passwords;
    private final Sessions sessions;
    private final EventLog audit;

    UsersController(UserAccounts users, Passwords passwords, Sessions sessions, EventLog audit) {
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.audit = audit;
    }

    record NewUser(@NotBlank @Email @Size(max = 254) String email, @Size(max = 100) String name, String role, String password) {}

    record Change(@Size(max = 100) String name, String role, Boolean disabled) {}

    record Reset(String password) {}

    /** A created user, plus (once, when no password was given) the invite code that lets them set one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Created(UserAccounts.Listed user, String inviteCode, Long inviteExpiresAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ResetResult(String resetCode, Long resetExpiresAt) {}

    /** Enough to pick someone to share a server with: members may look a colleague up by exact email. */
    record Found(String id, String email, String name) {}

    @GetMapping
    List<UserAccounts.Listed> list(@AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        return users.list();
    }

    @GetMapping("/lookup")
    Found lookup(@RequestParam String email, @AuthenticationPrincipal Jwt jwt) {
        if ("viewer".equals(jwt.getClaimAsString("role"))) throw ApiProblem.forbidden("Viewers cannot share servers");
        String wanted = UserAccounts.normalize(email);
        return users.list().stream().filter(u -> u.email().equals(wanted) && !u.disabled())
                .findFirst().map(u -> new Found(u.id(), u.email(), u.name()))
                .orElseThrow(() -> ApiProblem.notFound("User"));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Created create(@Valid @RequestBody NewUser req, @AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        String role = req.role() == null ? "member" : req.role();
        if (!UserAccounts.ROLES.contains(role)) throw ApiProblem.badField("role", "must be one of admin, member, viewer");
        String hash = req.password() == null || req.password().isEmpty() ? null : passwords.hash("password", req.password(), req.email());
        String name = req.name() == null || req.name().isBlank() ? req.email().trim() : req.name().trim();
        User user = users.create(req.email(), name, role, hash);
        audit.hub("notice", "User " + user.email() + " created as " + role, Roles.actor(jwt), "user:" + user.id(), null);
        UserAccounts.Listed listed = users.listed(user.id()).orElseThrow();
        if (hash != null) return new Created(listed, null, null);
        Passwords.Code invite = passwords.issueCode(user.id(), "invite", Passwords.INVITE_LIFETIME);
        return new Created(listed, invite.code(), invite.expiresAt());
    }

    @GetMapping("/{id}")
    UserAccounts.Listed one(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        return users.listed(id).orElseThrow(() -> ApiProblem.notFound("User"));
    }

    @PatchMapping("/{id}")
    UserAccounts.Listed change(@PathVariable String id, @Valid @RequestBody Change req, @AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        UserAccounts.Listed before = users.listed(id).orElseThrow(() -> ApiProblem.notFound("User"));
        if (req.role() != null && !req.role().equals(before.role())) {
            users.changeRole(id, req.role());
            sessions.expireAccessTokens(id, "role changed");
            audit.hub("notice", "Role of " + before.email() + " changed from " + before.role() + " to " + req.role(),
                    Roles.actor(jwt), "user:" + id, null);
        }
        if (req.disabled() != null && req.disabled() != before.disabled()) {
            users.setDisabled(id, req.disabled());
            sessions.forget(id);
            if (req.disabled()) sessions.endAll(id, "account disabled");
            audit.hub("notice", "User " + before.email() + (req.disabled() ? " disabled" : " enabled"), Roles.actor(jwt), "user:" + id, null);
        }
        if (req.name() != null && !req.name().isBlank()) users.updateProfile(id, req.name().trim(), null);
        return users.listed(id).orElseThrow();
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        UserAccounts.Listed before = users.listed(id).orElseThrow(() -> ApiProblem.notFound("User"));
        users.delete(id);
        sessions.forget(id);
        sessions.endAll(id, "account deleted");
        audit.hub("notice", "User " + before.email() + " deleted", Roles.actor(jwt), "user:" + id, null);
    }

    /** Sets the given password, or (without one) returns a single-use reset code; either way sessions end. */
    @PostMapping("/{id}/reset-password")
    ResetResult reset(@PathVariable String id, @RequestBody(required = false) Reset req, @AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        UserAccounts.Listed user = users.listed(id).orElseThrow(() -> ApiProblem.notFound("User"));
        audit.hub("notice", "Password of " + user.email() + " reset by an admin", Roles.actor(jwt), "user:" + id, null);
        if (req != null && req.password() != null && !req.password().isEmpty()) {
            passwords.replace(id, "password", req.password(), user.email(), "password reset");
            return new ResetResult(null, null);
        }
        sessions.endAll(id, "password reset");
        Passwords.Code code = passwords.issueCode(id, "reset", Passwords.RESET_LIFETIME);
        return new ResetResult(code.code(), code.expiresAt());
    }
}
