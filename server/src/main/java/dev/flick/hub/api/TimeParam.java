package dev.flick.hub.api;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Query times: epoch milliseconds or ISO-8601 (API.md conventions); steps: milliseconds or ISO-8601 durations. */
public final class TimeParam {

    private TimeParam() {}

    public static long instant(String field, String value, long fallback) {
        if (value == null || value.isBlank()) return fallback;
        String v = value.trim();
        try {
            if (v.chars().allMatch(Character::isDigit)) return Long.parseLong(v);
            try {
                return Instant.parse(v).toEpochMilli();
            } catch (DateTimeParseException e) {
                return OffsetDateTime.parse(v).toInstant().toEpochMilli();
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw ApiProblem.badField(field, "expected epoch milliseconds or an ISO-8601 time such as 2026-11-26T03:12:00Z");
        }
    }

    public static long duration(String field, String value, long fallback) {
        if (value == null || value.isBlank()) return fallback;
        String v = value.trim();
        try {
            long ms;
            if (v.chars().allMatch(Character::isDigit)) ms = Long.parseLong(v);
            else if (v.matches("\\d+(ms|s|m|h|d)")) ms = unit(v);
            else ms = Duration.parse(v).toMillis();
            if (ms <= 0) throw new NumberFormatException();
            return ms;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw ApiProblem.badField(field, "expected milliseconds, 30s/5m/1h, or an ISO-8601 duration such as PT1M");
        }
    }

    private static long unit(String v) {
        if (v.endsWith("ms")) return Long.parseLong(v.substring(0, v.length() - 2));
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 's' -> n * 1_000;
            case 'm' -> n * 60_000;
            case 'h' -> n * 3_600_000;
            default -> n * 86_400_000;
        };
    }
}
