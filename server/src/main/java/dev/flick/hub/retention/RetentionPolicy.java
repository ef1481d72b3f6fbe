package dev.flick.hub.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.flick.hub.api.ApiProblem;

/**
 * How long each kind of data is kept: raw snapshots, 1-minute and 1-hour rollups, logs, alert events.
 * Coarser tiers must be kept at least as long as finer ones, or a chart would have holes where it should thin out.
 */
public record RetentionPolicy(Duration raw, Duration minute, Duration hour, Duration logs, Duration events) {

    public static final RetentionPolicy DEFAULTS = new RetentionPolicy(Duration.ofDays(14), Duration.ofDays(90),
            Duration.ofDays(730), Duration.ofDays(30), Duration.ofDays(365));

    static final Duration MAX = Duration.ofDays(3_650);

    /** Problems with each field, all at once, so a form can show every one. */
    List<ApiProblem.FieldError> problems() {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        range(errors, "raw", raw, Duration.ofHours(1), Duration.ofDays(31));
        range(errors, "minute", minute, Duration.ofDays(1), MAX);
        range(errors, "hour", hour, Duration.ofDays(7), MAX);
        range(errors, "logs", logs, Duration.ofDays(1), MAX);
        range(errors, "events", events, Duration.ofDays(1), MAX);
        if (errors.isEmpty()) {
            if (minute.compareTo(raw) < 0) errors.add(new ApiProblem.FieldError("minute", "must be at least as long as raw"));
            if (hour.compareTo(minute) < 0) errors.add(new ApiProblem.FieldError("hour", "must be at least as long as minute"));
        }
        return errors;
    }

    private static void range(List<ApiProblem.FieldError> errors, String field, Duration value, Duration min, Duration max) {
        if (value == null) {
            errors.add(new ApiProblem.FieldError(field, "is required (an ISO-8601 duration such as P30D)"));
        } else if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            errors.add(new ApiProblem.FieldError(field, "must be between " + min + " and " + max));
        }
    }
}
