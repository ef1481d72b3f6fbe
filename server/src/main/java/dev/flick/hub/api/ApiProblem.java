package dev.flick.hub.api;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * An error meant for the client: becomes an RFC 9457 problem body with the given status and English detail, plus a
 * stable {@link ProblemCode} and its parameters so the client can say it in its user's language.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final ProblemCode code;
    private final Map<String, Object> params;
    private final List<FieldError> errors;
    private final long retryAfterSeconds;

    /** One refused input field: English message for API users, a code and parameters for translation. */
    public record FieldError(String field, String message, String code, Map<String, Object> params) {
        public FieldError(String field, String message) {
            this(field, message, FieldCode.fromMessage(message), Map.of());
        }

        public FieldError(String field, String message, FieldCode code, Map<String, Object> params) {
            this(field, message, code.code(), params);
        }
    }

    public ApiProblem(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public ApiProblem(HttpStatus status, String detail, List<FieldError> errors) {
        this(status, errors.isEmpty() ? ProblemCode.forStatus(status) : ProblemCode.INVALID_FIELDS, Map.of(), detail, errors, 0);
    }

    public ApiProblem(HttpStatus status, ProblemCode code, String detail) {
        this(status, code, Map.of(), detail, List.of(), 0);
    }

    public ApiProblem(HttpStatus status, ProblemCode code, Map<String, Object> params, String detail) {
        this(status, code, params, detail, List.of(), 0);
    }

    private ApiProblem(HttpStatus status, ProblemCode code, Map<String, Object> params, String detail,
                       List<FieldError> errors, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.params = Map.copyOf(params);
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429 with a Retry-After header. */
    public static ApiProblem tooMany(String detail, long retryAfterSeconds) {
        return tooMany(ProblemCode.TOO_MANY_REQUESTS, detail, retryAfterSeconds);
    }

    /** 429 with a Retry-After header and a specific code; {@code seconds} is among its parameters. */
    public static ApiProblem tooMany(ProblemCode code, String detail, long retryAfterSeconds) {
        long seconds = Math.max(1, retryAfterSeconds);
        return new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, code, Map.of("seconds", seconds), detail, List.of(), seconds);
    }

    /** 403: the caller may see the thing but not change it. */
    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, detail);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiProblem badField(String field, String message) {
        return badField(new FieldError(field, message));
    }

    public static ApiProblem badField(String field, FieldCode code, Map<String, Object> params, String message) {
        return badField(new FieldError(field, message, code, params));
    }

    private static ApiProblem badField(FieldError error) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, ProblemCode.INVALID_FIELDS, Map.of("field", error.field()),
                error.field() + ": " + error.message(), List.of(error), 0);
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(HttpStatus.NOT_FOUND, ProblemCode.NOT_FOUND, Map.of("what", what), what + " not found");
    }

    public HttpStatus status() {
        return status;
    }

    public ProblemCode code() {
        return code;
    }

    public Map<String, Object> params() {
        return params;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
