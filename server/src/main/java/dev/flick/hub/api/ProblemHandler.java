package dev.flick.hub.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

import dev.flick.hub.edge.BodyTooLarge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves the hub as a problem document: the status, a title, a readable detail and, for bad input,
 * the fields at fault. Nothing internal (stack traces, SQL, class names) is ever in the body.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem e) {
        ResponseEntity<ProblemDetail> r = problem(e.status(), e.code(), e.params(), e.getMessage(), e.errors());
        if (e.retryAfterSeconds() > 0) {
            return ResponseEntity.status(r.getStatusCode()).headers(r.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds())).body(r.getBody());
        }
        return r;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getName() + ": not a valid value",
                List.of(new ApiProblem.FieldError(e.getName(), "not a valid value", FieldCode.INVALID, Map.of())));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error while handling a request", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on the hub; the error is in its log.", List.of());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        e.getBindingResult().getFieldErrors()
                .forEach(f -> errors.add(new ApiProblem.FieldError(f.getField(), f.getDefaultMessage(), fieldCode(f.getCode(), f.getDefaultMessage()), Map.of())));
        String detail = errors.isEmpty() ? "Invalid request" : errors.getFirst().field() + ": " + errors.getFirst().message();
        return cast(problem(HttpStatus.BAD_REQUEST, detail, errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BodyTooLarge tooLarge) {
                return cast(problem(HttpStatus.CONTENT_TOO_LARGE, ProblemCode.TOO_LARGE, Map.of("bytes", tooLarge.limit()),
                        BodyTooLarge.detail(tooLarge.limit()), List.of()));
            }
        }
        String field = fieldOf(e);
        if (field != null) {
            return cast(problem(HttpStatus.BAD_REQUEST, field + ": not a valid value",
                    List.of(new ApiProblem.FieldError(field, "not a valid value", FieldCode.INVALID, Map.of()))));
        }
        return cast(problem(HttpStatus.BAD_REQUEST, ProblemCode.INVALID_JSON, Map.of(), "The request body is not valid JSON", List.of()));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        // Spring's own MVC errors (405, 415, 404 for unknown paths…): keep the status, never the exception text.
        HttpStatus status = HttpStatus.resolve(statusCode.value());
        String reason = status == null ? "Request failed" : status.getReasonPhrase();
        return cast(problem(status == null ? HttpStatus.BAD_REQUEST : status, reason, List.of()));
    }

    private static String fieldOf(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof DatabindException db && !db.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JacksonException.Reference ref : db.getPath()) {
                if (ref.getPropertyName() != null) {
                    if (!path.isEmpty()) path.append('.');
                    path.append(ref.getPropertyName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            return path.isEmpty() ? null : path.toString();
        }
        return null;
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail, List<ApiProblem.FieldError> errors) {
        return problem(status, errors.isEmpty() ? ProblemCode.forStatus(status) : ProblemCode.INVALID_FIELDS, Map.of(), detail, errors);
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, ProblemCode code, Map<String, Object> params, String detail,
                                                 List<ApiProblem.FieldError> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(status.getReasonPhrase());
        body.setType(URI.create("about:blank"));
        body.setProperty("code", code.code());
        body.setProperty("params", params);
        if (!errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** Bean Validation's constraint name (NotBlank, Size…) as a field code. */
    private static FieldCode fieldCode(String constraint, String message) {
        if (constraint == null) return FieldCode.fromMessage(message);
        return switch (constraint) {
            case "NotBlank", "NotNull", "NotEmpty" -> FieldCode.REQUIRED;
            default -> FieldCode.fromMessage(message);
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> r) {
        return (ResponseEntity) r;
    }
}
