package dev.flick.hub.api;

import java.util.List;

import org.springframework.http.HttpStatus;

/** An error meant for the client: becomes an RFC 9457 problem body with the given status and detail. */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final List<FieldError> errors;
    private final long retryAfterSeconds;

    public record FieldError(String field, String message) {}

    public ApiProblem(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public ApiProblem(HttpStatus status, String detail, List<FieldError> errors) {
        this(status, detail, errors, 0);
    }

    private ApiProblem(HttpStatus status, String detail, List<FieldError> errors, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429 with a Retry-After header. */
    public static ApiProblem tooMany(String detail, long retryAfterSeconds) {
        return new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, detail, List.of(), Math.max(1, retryAfterSeconds));
    }

    /** 403: the caller may see the thing but not change it. */
    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, detail);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiProblem badField(String field, String message) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, field + ": " + message, List.of(new FieldError(field, message)));
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(HttpStatus.NOT_FOUND, what + " not found");
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
