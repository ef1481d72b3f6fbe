package dev.flick.hub.retention;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.auth.Roles;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/settings")
class SettingsController {

    private final Retention retention;
    private final StorageReport storage;

    SettingsController(Retention retention, StorageReport storage) {
        this.retention = retention;
        this.storage = storage;
    }

    record RetentionBody(String raw, String minute, String hour, String logs, String events) {}

    @GetMapping("/retention")
    Retention.RetentionView get(@AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        return Retention.RetentionView.of(retention.current());
    }

    @PutMapping("/retention")
    Retention.RetentionView put(@AuthenticationPrincipal Jwt jwt, @RequestBody RetentionBody body) {
        Roles.requireAdmin(jwt);
        RetentionPolicy policy = new RetentionPolicy(parse("raw", body.raw()), parse("minute", body.minute()),
                parse("hour", body.hour()), parse("logs", body.logs()), parse("events", body.events()));
        retention.change(policy, Roles.actor(jwt));
        return Retention.RetentionView.of(policy);
    }

    @GetMapping("/storage")
    StorageReport.Report storage(@AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        return storage.report();
    }

    private static Duration parse(String field, String value) {
        if (value == null || value.isBlank()) return null; // reported by the policy's own checks, with the others
        try {
            return Duration.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiProblem.badField(field, "must be an ISO-8601 duration such as P30D or PT12H");
        }
    }
}
