package dev.flick.hub.api;

import java.util.List;

import org.springframework.http.HttpStatus;

/** An error meant for the client: becomes an RFC 9457 problem body with the given status and detail. */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final List<FieldError> errors;

    public record FieldError(String field, String message) {}

    public ApiProblem(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public ApiProblem(HttpStatus status, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.errors = errors;
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
