package dev.flick.hub.auth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.flick.hub.api.ApiProblem;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The users table. Emails are stored lower-cased so sign-in does not depend on how someone typed theirs. Changes
 * that could leave the hub without an active admin are refused.
 */
@Component
public class UserAccounts {

    public static final Set<String> ROLES = Set.of("admin", "member", "viewer");
    private static final String COLUMNS = "id, email, name, role, locale, disabled, password_hash, totp_enabled_at, created_at";

    private final JdbcClient jdbc;

    UserAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Account(User user, String passwordHash, boolean disabled) {}

    /** An account as the admin's user list shows it. */
    public record Listed(String id, String email, String name, String role, String locale, boolean disabled,
                         boolean hasPassword, boolean twoFactor, long createdAt) {

        public User user() {
            return new User(id, email, name, role);
        }
    }

    public boolean anyExist() {
        return jdbc.sql("SELECT count(*) FROM users").query(Long.class).single() > 0;
    }

    Optional<Account> byEmail(String email) {
        return jdbc.sql("SELECT id, email, name, role, password_hash, disabled FROM users WHERE email = ?")
                .param(normalize(email))
                .query((rs, n) -> new Account(new User(rs.getString("id"), rs.getString("email"), rs.getString("name"),
                        rs.getString("role")), rs.getString("password_hash"), rs.getBoolean("disabled")))
                .optional();
    }

    Optional<Account> account(String id) {
        return jdbc.sql("SELECT id, email, name, role, password_hash, disabled FROM users WHERE id = ?")
                .param(id)
                .query((rs, n) -> new Account(new User(rs.getString("id"), rs.getString("email"), rs.getString("name"),
                        rs.getString("role")), rs.getString("password_hash"), rs.getBoolean("disabled")))
                .optional();
    }

    /** An active (not disabled) user. */
    public Optional<User> byId(String id) {
        return jdbc.sql("SELECT id, email, name, role FROM users WHERE id = ? AND disabled = ?")
                .params(id, false)
                .query((rs, n) -> new User(rs.getString("id"), rs.getString("email"), rs.getString("name"), rs.getString("role")))
                .optional();
    }

    public List<Listed> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users ORDER BY created_at, email").query(UserAccounts::listed).list();
    }

    public Optional<Listed> listed(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = ?").param(id).query(UserAccounts::listed).optional();
    }

    private static Listed listed(ResultSet rs, int n) throws SQLException {
        rs.getLong("totp_enabled_at");
        boolean twoFactor = !rs.wasNull();
        return new Listed(rs.getString("id"), rs.getString("email"), rs.getString("name"), rs.getString("role"),
                rs.getString("locale"), rs.getBoolean("disabled"), rs.getString("password_hash") != null, twoFactor,
                rs.getLong("created_at"));
    }

    /** Every account that may sign in: who in-app notifications go to. */
    public java.util.List<User> active() {
        return jdbc.sql("SELECT id, email, name, role FROM users WHERE disabled = ? ORDER BY created_at")
                .param(false)
                .query((rs, n) -> new User(rs.getString("id"), rs.getString("email"), rs.getString("name"), rs.getString("role")))
                .list();
    }

    /** Creates the first admin, atomically refusing when any user exists. Empty when setup is already done. */
    Optional<User> createFirstAdmin(String email, String name, String passwordHash) {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        int inserted = jdbc.sql("""
                        INSERT INTO users (id, email, name, password_hash, role, disabled, created_at, updated_at)
                        SELECT ?, ?, ?, ?, 'admin', ?, ?, ?
                        WHERE NOT EXISTS (SELECT 1 FROM users)""")
                .params(id, normalize(email), name, passwordHash, false, now, now)
                .update();
        return inserted == 1 ? Optional.of(new User(id, normalize(email), name, "admin")) : Optional.empty();
    }

    /** A new account; passwordHash null means it signs in only after setting one (invite) or through a provider. */
    public User create(String email, String name, String role, String passwordHash) {
        if (!ROLES.contains(role)) throw ApiProblem.badField("role", dev.flick.hub.api.FieldCode.ONE_OF, java.util.Map.of("values", "admin, member, viewer"), "must be one of admin, member, viewer");
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        try {
            jdbc.sql("""
                            INSERT INTO users (id, email, name, password_hash, role, disabled, created_at, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(id, normalize(email), name, passwordHash, role, false, now, now).update();
        } catch (DuplicateKeyException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, dev.flick.hub.api.ProblemCode.EMAIL_TAKEN, "An account with this email already exists");
        }
        return new User(id, normalize(email), name, role);
    }

    public boolean emailTaken(String email) {
        return jdbc.sql("SELECT count(*) FROM users WHERE email = ?").param(normalize(email)).query(Long.class).single() > 0;
    }

    /** Changes the role, refusing to demote the last active admin. */
    @Transactional
    public synchronized void changeRole(String id, String role) {
        if (!ROLES.contains(role)) throw ApiProblem.badField("role", dev.flick.hub.api.FieldCode.ONE_OF, java.util.Map.of("values", "admin, member, viewer"), "must be one of admin, member, viewer");
        if (!"admin".equals(role)) requireAnotherAdmin(id, "demote");
        jdbc.sql("UPDATE users SET role = ?, updated_at = ? WHERE id = ?").params(role, System.currentTimeMillis(), id).update();
    }

    @Transactional
    public synchronized void setDisabled(String id, boolean disabled) {
        if (disabled) requireAnotherAdmin(id, "disable");
        jdbc.sql("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?").params(disabled, System.currentTimeMillis(), id).update();
    }

    @Transactional
    public synchronized void delete(String id) {
        requireAnotherAdmin(id, "delete");
        jdbc.sql("UPDATE servers SET owner_id = NULL WHERE owner_id = ?").param(id).update();
        jdbc.sql("DELETE FROM refresh_tokens WHERE user_id = ?").param(id).update();
        jdbc.sql("DELETE FROM users WHERE id = ?").param(id).update();
    }

    private void requireAnotherAdmin(String id, String verb) {
        boolean isActiveAdmin = jdbc.sql("SELECT count(*) FROM users WHERE id = ? AND role = 'admin' AND disabled = ?")
                .params(id, false).query(Long.class).single() > 0;
        if (!isActiveAdmin) return;
        long admins = jdbc.sql("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = ?").param(false).query(Long.class).single();
        if (admins <= 1) throw new ApiProblem(HttpStatus.CONFLICT, "Cannot " + verb + " the last admin: make someone else admin first");
    }

    public void updateProfile(String id, String name, String locale) {
        long now = System.currentTimeMillis();
        if (name != null) jdbc.sql("UPDATE users SET name = ?, updated_at = ? WHERE id = ?").params(name, now, id).update();
        if (locale != null) jdbc.sql("UPDATE users SET locale = ?, updated_at = ? WHERE id = ?")
                .params(locale.isBlank() ? null : locale, now, id).update();
    }

    void setPasswordHash(String id, String hash) {
        jdbc.sql("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?").params(hash, System.currentTimeMillis(), id).update();
    }

    public static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }
}
