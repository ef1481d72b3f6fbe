package dev.flick.hub.remotewrite;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.flick.hub.api.ApiProblem;
import dev.flick.hub.auth.Roles;
import dev.flick.hub.logs.EventLog;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET/PUT /api/v1/settings/remote-write}, admins only; secrets are taken, never given back. */
@RestController
@RequestMapping("/api/v1/settings")
class RemoteWriteController {

    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");
    private static final Set<String> RESERVED = Set.of("server", "server_id", "job", "instance");

    private final RemoteWrite remoteWrite;
    private final EventLog events;

    RemoteWriteController(RemoteWrite remoteWrite, EventLog events) {
        this.remoteWrite = remoteWrite;
        this.events = events;
    }

    /**
     * bearerToken / basicPassword: absent keeps the stored one, "" removes it. url null or "": remote write off.
     */
    record Body(String url, String bearerToken, String basicUsername, String basicPassword, Map<String, String> extraLabels) {
        @Override
        public String toString() {
            return "Body[url=" + url + ", bearerToken=" + (bearerToken == null ? "absent" : "***") + ", basicUsername=" + basicUsername + "]";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record View(String url, boolean hasBearerToken, String basicUsername, boolean hasBasicPassword,
                Map<String, String> extraLabels, RemoteWrite.Status status) {}

    @GetMapping("/remote-write")
    View get(@AuthenticationPrincipal Jwt jwt) {
        Roles.requireAdmin(jwt);
        return view(remoteWrite.config());
    }

    @PutMapping("/remote-write")
    View put(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) Body body) {
        Roles.requireAdmin(jwt);
        if (body == null) throw ApiProblem.badField("url", "is required (empty turns remote write off)");
        RemoteWriteConfig old = remoteWrite.config();
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        String url = body.url() == null || body.url().isBlank() ? null : body.url().strip();
        if (url != null) {
            try {
                URI u = URI.create(url);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    errors.add(new ApiProblem.FieldError("url", "must be an http:// or https:// URL"));
                } else if (u.getUserInfo() != null) {
                    errors.add(new ApiProblem.FieldError("url", "must not carry credentials; use basicUsername and basicPassword"));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new ApiProblem.FieldError("url", "must be an http:// or https:// URL"));
            }
        }
        String bearer = body.bearerToken() == null ? old.bearerToken() : blankToNull(body.bearerToken());
        String user = body.basicUsername() == null ? old.basicUsername() : blankToNull(body.basicUsername());
        String password = body.basicPassword() == null ? old.basicPassword() : blankToNull(body.basicPassword());
        if (user == null) password = null;
        if (bearer != null && user != null) {
            errors.add(new ApiProblem.FieldError("bearerToken", "give a bearer token or basic auth, not both"));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> given = body.extraLabels() == null ? old.extraLabels() : body.extraLabels();
        given.forEach((k, v) -> {
            if (k == null || !LABEL.matcher(k).matches() || k.startsWith("__") || RESERVED.contains(k)) {
                errors.add(new ApiProblem.FieldError("extraLabels", "\"" + k + "\" is not a label name FLick may add"
                        + " (letters, digits, _; not __*, server, server_id, job, instance)"));
            } else if (v == null || v.isEmpty() || v.length() > 1_000) {
                errors.add(new ApiProblem.FieldError("extraLabels", "the value of \"" + k + "\" must be 1–1000 characters"));
            } else {
                labels.put(k, v);
            }
        });
        if (labels.size() > 20) errors.add(new ApiProblem.FieldError("extraLabels", "at most 20 labels"));
        if (!errors.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, errors.getFirst().field() + ": " + errors.getFirst().message(), errors);
        }
        RemoteWriteConfig next = new RemoteWriteConfig(url, bearer, user, password, Map.copyOf(labels));
        remoteWrite.change(next, Roles.actor(jwt));
        events.hub("notice", url == null ? "Remote write turned off" : "Remote write to " + url
                + (bearer != null ? " (bearer token)" : user != null ? " (basic auth as " + user + ")" : ""),
                Roles.actor(jwt), "settings/remote-write", null);
        return view(next);
    }

    private View view(RemoteWriteConfig c) {
        return new View(c.url(), c.bearerToken() != null, c.basicUsername(), c.basicPassword() != null, c.extraLabels(),
                remoteWrite.status());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
