package dev.flick.hub.retention;

import java.time.Duration;
import java.util.List;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.config.SettingsStore;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.metrics.History;
import dev.flick.hub.metrics.Timescale;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** The current retention policy: stored as a setting, applied to history reads and to TimescaleDB's own policies. */
@Component
public class Retention {

    static final String KEY = "retention";

    private final SettingsStore settings;
    private final ObjectMapper json;
    private final History history;
    private final Timescale timescale;
    private final EventLog events;
    private volatile RetentionPolicy current;

    Retention(SettingsStore settings, ObjectMapper json, History history, Timescale timescale, EventLog events) {
        this.settings = settings;
        this.json = json;
        this.history = history;
        this.timescale = timescale;
        this.events = events;
        this.current = settings.get(KEY).map(this::parseStored).orElse(RetentionPolicy.DEFAULTS);
        history.keepRawFor(current.raw().toMillis());
    }

    /** The policy is in force from the start: TimescaleDB's policies are made to match it (they exist only then). */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void putInForce() {
        try {
            timescale.applyRetention(current.raw().toMillis(), current.minute().toMillis(), current.hour().toMillis());
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Retention.class).warn("Putting the retention policy in force failed; the next retention run tries again: {}", e.getMessage());
        }
    }

    public RetentionPolicy current() {
        return current;
    }

    void change(RetentionPolicy policy, String actor) {
        List<ApiProblem.FieldError> problems = policy.problems();
        if (!problems.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, problems.getFirst().field() + ": " + problems.getFirst().message(), problems);
        }
        settings.put(KEY, json.writeValueAsString(RetentionView.of(policy)), actor);
        current = policy;
        history.keepRawFor(policy.raw().toMillis());
        timescale.applyRetention(policy.raw().toMillis(), policy.minute().toMillis(), policy.hour().toMillis());
        RetentionView v = RetentionView.of(policy);
        events.hub("notice", "Retention changed: raw " + v.raw() + ", 1-minute " + v.minute() + ", 1-hour " + v.hour()
                + ", logs " + v.logs() + ", alert events " + v.events(), actor, "settings/retention", null);
    }

    private RetentionPolicy parseStored(String stored) {
        JsonNode n = json.readTree(stored);
        RetentionPolicy d = RetentionPolicy.DEFAULTS;
        return new RetentionPolicy(dur(n, "raw", d.raw()), dur(n, "minute", d.minute()), dur(n, "hour", d.hour()),
                dur(n, "logs", d.logs()), dur(n, "events", d.events()));
    }

    private static Duration dur(JsonNode n, String field, Duration fallback) {
        String v = n.path(field).asString("");
        try {
            return v.isEmpty() ? fallback : Duration.parse(v);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /** API shape: ISO-8601 durations, days written as P30D rather than PT720H. */
    record RetentionView(String raw, String minute, String hour, String logs, String events) {
        static RetentionView of(RetentionPolicy p) {
            return new RetentionView(iso(p.raw()), iso(p.minute()), iso(p.hour()), iso(p.logs()), iso(p.events()));
        }

        private static String iso(Duration d) {
            return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
        }
    }
}
