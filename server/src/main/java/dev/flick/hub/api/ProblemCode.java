package dev.flick.hub.api;

import org.springframework.http.HttpStatus;

/**
 * Why a request failed, as a stable code the client renders in its user's language. The problem body keeps an English
 * {@code detail} for API users beside it; {@code params} carry the values a translation fills in.
 */
public enum ProblemCode {
    // Generic codes, one per status, for problems that have no more specific one yet.
    BAD_REQUEST("bad_request"),
    UNAUTHORIZED("unauthorized"),
    FORBIDDEN("forbidden"),
    NOT_FOUND("not_found"),
    CONFLICT("conflict"),
    TOO_LARGE("too_large"),
    TOO_MANY_REQUESTS("too_many_requests"),
    INTERNAL("internal"),
    INVALID_FIELDS("invalid_fields"),
    INVALID_JSON("invalid_json"),
    // Signing in and sessions.
    WRONG_CREDENTIALS("auth.wrong_credentials"),
    SIGN_IN_THROTTLED("auth.throttled"),
    SIGN_IN_EXPIRED("auth.sign_in_expired"),
    WRONG_CODE("auth.wrong_code"),
    CODE_UNKNOWN("auth.code_unknown"),
    SESSION_ENDED("auth.session_ended"),
    ACCOUNT_DISABLED("auth.account_disabled"),
    NO_REFRESH_TOKEN("auth.no_refresh_token"),
    SETUP_DONE("auth.setup_done"),
    ONLY_SIGN_IN_METHOD("auth.only_sign_in_method"),
    EMAIL_TAKEN("users.email_taken");

    private final String code;

    ProblemCode(String code) {
        this.code = code;
    }

    /** The code as it appears in problem bodies. */
    public String code() {
        return code;
    }

    /** The generic code for a status. */
    public static ProblemCode forStatus(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> UNAUTHORIZED;
            case FORBIDDEN -> FORBIDDEN;
            case NOT_FOUND -> NOT_FOUND;
            case CONFLICT -> CONFLICT;
            case CONTENT_TOO_LARGE -> TOO_LARGE;
            case TOO_MANY_REQUESTS -> TOO_MANY_REQUESTS;
            case INTERNAL_SERVER_ERROR -> INTERNAL;
            default -> BAD_REQUEST;
        };
    }
}
