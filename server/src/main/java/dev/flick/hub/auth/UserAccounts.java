package dev.flick.hub.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The users table. Emails are stored lower-cased so sign-in does not depend on how someone typed theirs. */
@Component
public class UserAccounts {

    private final JdbcClient jdbc;

    UserAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Account(User user, String passwordHash, boolean disabled) {}

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

    public Optional<User> byId(String id) {
        return jdbc.sql("SELECT id, email, name, role FROM users WHERE id = ? AND disabled = ?")
                .params(id, false)
                .query((rs, n) -> new User(rs.getString("id"), rs.getString("email"), rs.getString("name"), rs.getString("role")))
                .optional();
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

    static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }
}
