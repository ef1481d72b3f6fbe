package dev.flick.hub.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.flick.hub.api.ApiProblem;

/**
 * Length: 8 characters to 72 bytes (bcrypt reads only the first 72 bytes, so longer passwords are refused rather
 * than silently truncated). Strength: not one of the most common passwords, not the email or its name part, not a
 * single repeated character.
 */
public final class PasswordPolicy {

    static final int MIN_CHARS = 8;
    static final int MAX_BYTES = 72;
    private static final Set<String> COMMON = load();

    private PasswordPolicy() {}

    public static void check(String field, String password) {
        check(field, password, null);
    }

    public static void check(String field, String password, String email) {
        if (password == null || password.isEmpty()) throw ApiProblem.badField(field, dev.flick.hub.api.FieldCode.REQUIRED, java.util.Map.of(), "is required");
        if (password.codePointCount(0, password.length()) < MIN_CHARS)
            throw ApiProblem.badField(field, dev.flick.hub.api.FieldCode.TOO_SHORT, java.util.Map.of("min", MIN_CHARS), "must be at least " + MIN_CHARS + " characters");
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES)
            throw ApiProblem.badField(field, dev.flick.hub.api.FieldCode.TOO_LONG, java.util.Map.of("max", MAX_BYTES), "must be at most " + MAX_BYTES + " bytes");
        if (password.isBlank()) throw ApiProblem.badField(field, dev.flick.hub.api.FieldCode.REQUIRED, java.util.Map.of(), "must not be only spaces");
        String lower = password.toLowerCase(Locale.ROOT);
        if (COMMON.contains(lower)) throw ApiProblem.badField(field, dev.flick.hub.api.FieldCode.PASSWORD_COMMON, java.util.Map.of(), "is one of the most common passwords");
        if (password.codePoints().distinct().count() == 1) throw ApiProblem.badField(field, dev.flick.hub.api.FieldCode.PASSWORD_REPEATS, java.util.Map.of(), "must not repeat one character");
        if (email != null && !email.isBlank()) {
            String e = email.trim().toLowerCase(Locale.ROOT);
            int at = e.indexOf('@');
            if (lower.equals(e) || (at >= 3 && lower.equals(e.substring(0, at))))
                throw ApiProblem.badField(field, dev.flick.hub.api.FieldCode.PASSWORD_IS_EMAIL, java.util.Map.of(), "must not be your email address");
        }
    }

    /**
     * Refuses a presented password bcrypt could not check whole: it reads 72 bytes, so a longer one would sign in
     * with any suffix.
     */
    static void checkPresented(String field, String password) {
        if (password != null && password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES)
            throw ApiProblem.badField(field, dev.flick.hub.api.FieldCode.TOO_LONG, java.util.Map.of("max", MAX_BYTES), "must be at most " + MAX_BYTES + " bytes");
    }

    private static Set<String> load() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) throw new IllegalStateException("common-passwords.txt is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
