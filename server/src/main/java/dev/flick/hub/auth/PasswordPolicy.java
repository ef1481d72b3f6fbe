package dev.flick.hub.auth;

import java.nio.charset.StandardCharsets;

import dev.flick.hub.api.ApiProblem;

/** bcrypt reads only the first 72 bytes, so longer passwords are refused rather than silently truncated. */
final class PasswordPolicy {

    static final int MIN_CHARS = 8;
    static final int MAX_BYTES = 72;

    private PasswordPolicy() {}

    static void check(String field, String password) {
        if (password == null || password.isEmpty()) throw ApiProblem.badField(field, "is required");
        if (password.codePointCount(0, password.length()) < MIN_CHARS)
            throw ApiProblem.badField(field, "must be at least " + MIN_CHARS + " characters");
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES)
            throw ApiProblem.badField(field, "must be at most " + MAX_BYTES + " bytes");
        if (password.isBlank()) throw ApiProblem.badField(field, "must not be only spaces");
    }
}
